// A MirrorSink that records what the protocol side tells it and passes each call on to the real mirror when given
// one: the protocol's tests check which calls arrive; the mirror's own tests check what it stores.
import type { MirrorSink, RemoteDesign, RemoteVersion } from '../../server/src/federation/remote-version.js';

export type SinkCall =
  | { kind: 'design'; design: RemoteDesign }
  | { kind: 'version'; actor: string; version: RemoteVersion }
  | { kind: 'yanked'; actor: string; version: string; yanked: boolean }
  | { kind: 'fieldData'; actor: string; version: string; field: Record<string, unknown> }
  | { kind: 'originGone'; actor: string }
  | { kind: 'takenDown'; actor: string; version?: string }
  | { kind: 'instanceBlocked'; instance: string; blocked: boolean }
  | { kind: 'retryFailed'; actor: string; version?: string };

export class RecordingSink implements MirrorSink {
  readonly calls: SinkCall[] = [];
  /** the real mirror, when given: every call is passed on to it after it is recorded */
  constructor(private readonly forward?: MirrorSink) {}
  async design(design: RemoteDesign) {
    this.calls.push({ kind: 'design', design });
    await this.forward?.design(design);
  }
  async version(actor: string, version: RemoteVersion) {
    this.calls.push({ kind: 'version', actor, version });
    await this.forward?.version(actor, version);
  }
  async yanked(actor: string, version: string, yanked: boolean) {
    this.calls.push({ kind: 'yanked', actor, version, yanked });
    await this.forward?.yanked(actor, version, yanked);
  }
  async fieldData(actor: string, version: string, field: Record<string, unknown>) {
    this.calls.push({ kind: 'fieldData', actor, version, field });
    await this.forward?.fieldData(actor, version, field);
  }
  async originGone(actor: string) {
    this.calls.push({ kind: 'originGone', actor });
    await this.forward?.originGone(actor);
  }
  async takenDown(actor: string, version?: string) {
    this.calls.push({ kind: 'takenDown', actor, ...(version ? { version } : {}) });
    await this.forward?.takenDown(actor, version);
  }
  async instanceBlocked(instance: string, blocked: boolean) {
    this.calls.push({ kind: 'instanceBlocked', instance, blocked });
    await this.forward?.instanceBlocked(instance, blocked);
  }
  async retryFailed(actor: string, version?: string) {
    this.calls.push({ kind: 'retryFailed', actor, ...(version ? { version } : {}) });
    return (await this.forward?.retryFailed(actor, version)) ?? [];
  }
  of<K extends SinkCall['kind']>(kind: K): Extract<SinkCall, { kind: K }>[] {
    return this.calls.filter((c): c is Extract<SinkCall, { kind: K }> => c.kind === kind);
  }
}
