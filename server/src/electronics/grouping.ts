// Which fabrication files make one board: the set a kitspace.yaml names (`gerbers:`), else one folder = one board.
import { parse as parseYaml } from 'yaml';
import type { BoardFileFormat } from './detect.js';

export interface BoardFile {
  path: string;
  format: BoardFileFormat;
}

export interface BoardGroup {
  /** the board's folder path ("root" for the version's top folder), its id in URLs */
  id: string;
  name: string;
  files: BoardFile[];
}

/** The id of a board in the version's top folder (a folder path never is empty). */
export const ROOT_BOARD_ID = 'root';

const folderOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const baseOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The `gerbers:` folders a kitspace.yaml names (one project, or each of a multi-project file), relative to it. */
export function kitspaceGerberFolders(yamlText: string, at: string): string[] {
  let doc: unknown;
  try {
    doc = parseYaml(yamlText, { maxAliasCount: 10 });
  } catch {
    return [];
  }
  const projects: unknown[] = [];
  if (doc && typeof doc === 'object') {
    projects.push(doc);
    const multi = (doc as { multi?: unknown }).multi;
    if (multi && typeof multi === 'object') projects.push(...Object.values(multi));
  }
  const folders: string[] = [];
  for (const p of projects) {
    const g = (p as { gerbers?: unknown } | null)?.gerbers;
    if (typeof g !== 'string') continue;
    const rel = g.replace(/^\.?\//, '').replace(/\/+$/, '');
    const joined = [at, rel].filter(Boolean).join('/');
    if (!joined.split('/').includes('..')) folders.push(joined);
  }
  return folders;
}

/** A name people recognise: the folder's own name, or the stem the files share (`board` of `board-F_Cu.gbr`). */
function boardName(folder: string, files: BoardFile[]): string {
  if (folder) return baseOf(folder);
  const names = files.map((f) => baseOf(f.path));
  let prefix = names[0] ?? '';
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  if (names.length === 1) prefix = prefix.replace(/\.[^.]*$/, '');
  return prefix.replace(/[-_.\s]+$/, '') || 'board';
}

/**
 * Boards of a version. A folder a kitspace.yaml names takes every fabrication file under it; any other fabrication
 * file belongs to the board of its own folder. A folder with no copper-bearing Gerber (drill files alone) is still a
 * board: its pipeline then says what is missing.
 */
export function groupBoards(files: BoardFile[], kitspaceFolders: string[] = []): BoardGroup[] {
  const groups = new Map<string, BoardFile[]>();
  const named = [...kitspaceFolders].sort((a, b) => b.length - a.length);
  for (const f of files) {
    const folder =
      named.find((k) => k === '' || f.path.startsWith(`${k}/`)) ??
      // a kitspace folder holds its sub-folders' files too; other folders are boards of their own
      folderOf(f.path);
    const list = groups.get(folder) ?? [];
    list.push(f);
    groups.set(folder, list);
  }
  return [...groups.entries()]
    .map(([folder, list]) => ({
      id: folder || ROOT_BOARD_ID,
      name: boardName(folder, list),
      files: list.sort((a, b) => a.path.localeCompare(b.path)),
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}
