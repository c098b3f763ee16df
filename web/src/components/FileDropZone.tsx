// Choose files or a whole folder (input or drag & drop), keeping each file's path relative to the dropped folder.
import { useState } from 'preact/hooks';
import { t } from '../i18n';

export type PickedFile = { path: string; file: File };

function isJunk(path: string): boolean {
  return path
    .split('/')
    .some(
      (segment) =>
        segment.startsWith('.') || segment === '__MACOSX' || segment === 'Thumbs.db' || segment === 'desktop.ini',
    );
}

/** A folder picked or dropped arrives as `folder/…`: drop that common first segment. */
export function stripCommonRoot(files: PickedFile[]): PickedFile[] {
  if (files.length === 0) return files;
  const first = files[0].path.split('/')[0];
  if (!files.every((entry) => entry.path.includes('/') && entry.path.split('/')[0] === first)) return files;
  return files.map((entry) => ({ ...entry, path: entry.path.slice(first.length + 1) }));
}

function readAllEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const all: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(all);
        all.push(...batch);
        next();
      }, reject);
    next();
  });
}

async function walkEntry(entry: FileSystemEntry, prefix: string): Promise<PickedFile[]> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ path: prefix + entry.name, file }];
  }
  if (entry.isDirectory) {
    const children = await readAllEntries((entry as FileSystemDirectoryEntry).createReader());
    const nested = await Promise.all(children.map((child) => walkEntry(child, `${prefix}${entry.name}/`)));
    return nested.flat();
  }
  return [];
}

async function filesFromDrop(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries = Array.from(transfer.items)
    .map((item) => item.webkitGetAsEntry?.())
    .filter((entry): entry is FileSystemEntry => Boolean(entry));
  if (entries.length > 0) return (await Promise.all(entries.map((entry) => walkEntry(entry, '')))).flat();
  return Array.from(transfer.files).map((file) => ({ path: file.name, file }));
}

export function filesFromInput(list: FileList | null): PickedFile[] {
  return Array.from(list ?? []).map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

type Props = { onFiles: (files: PickedFile[]) => void };

export function FileDropZone({ onFiles }: Props) {
  const [dragging, setDragging] = useState(false);
  const accept = (files: PickedFile[]) => onFiles(stripCommonRoot(files.filter((entry) => !isJunk(entry.path))));
  return (
    <div
      class={`dropzone${dragging ? ' dropzone-active' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        if (event.dataTransfer) void filesFromDrop(event.dataTransfer).then(accept);
      }}
    >
      <p class="dropzone-title">{t('fileDropZone.title')}</p>
      <p class="muted">{t('fileDropZone.hint', { path: 'frame/base.stl' })}</p>
      <div class="dropzone-buttons">
        <label class="button button-secondary" for="pick-files">
          {t('fileDropZone.chooseFiles')}
        </label>
        <input
          id="pick-files"
          class="visually-hidden"
          type="file"
          multiple
          onChange={(event) => {
            accept(filesFromInput(event.currentTarget.files));
            event.currentTarget.value = '';
          }}
        />
        <label class="button button-secondary" for="pick-folder">
          {t('fileDropZone.chooseFolder')}
        </label>
        <input
          id="pick-folder"
          class="visually-hidden"
          type="file"
          multiple
          {...{ webkitdirectory: true, directory: true }}
          onChange={(event) => {
            accept(filesFromInput(event.currentTarget.files));
            event.currentTarget.value = '';
          }}
        />
      </div>
    </div>
  );
}
