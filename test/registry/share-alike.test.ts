// Share-alike rules on parsed SPDX expressions: what a fork must keep, and which licences are flagged.
import { describe, expect, it } from 'vitest';
import {
  checkShareAlike,
  keepsShareAlike,
  licenseFlags,
  shareAlikeRequirement,
  shareAlikeViolations,
} from '../../server/src/registry/share-alike.js';

describe('share-alike', () => {
  it('finds the requirement of strong, weak and permissive licences', () => {
    expect(shareAlikeRequirement('CERN-OHL-S-2.0')).toMatchObject({
      licenses: ['CERN-OHL-S-2.0'],
      compatible: ['CERN-OHL-S-2.0'],
      strength: 'strong',
    });
    expect(shareAlikeRequirement('CERN-OHL-W-2.0')).toMatchObject({
      compatible: ['CERN-OHL-W-2.0', 'CERN-OHL-S-2.0'],
      strength: 'weak',
    });
    expect(shareAlikeRequirement('LGPL-2.1-only')?.strength).toBe('weak');
    expect(shareAlikeRequirement('MIT')).toBeUndefined();
    expect(shareAlikeRequirement('CERN-OHL-P-2.0')).toBeUndefined();
    // a permissive branch frees the next author
    expect(shareAlikeRequirement('MIT OR GPL-3.0-only')).toBeUndefined();
    expect(shareAlikeRequirement('MIT AND CC-BY-SA-4.0')?.licenses).toEqual(['CC-BY-SA-4.0']);
  });

  it('accepts the same licence, later versions and declared one-way compatibilities, and nothing else', () => {
    const sa4 = shareAlikeRequirement('CC-BY-SA-4.0')!;
    expect(keepsShareAlike('CC-BY-SA-4.0', sa4)).toBe(true);
    expect(keepsShareAlike('GPL-3.0-or-later', sa4)).toBe(true);
    expect(keepsShareAlike('CC-BY-4.0', sa4)).toBe(false);
    expect(keepsShareAlike('CC-BY-SA-4.0 OR MIT', sa4)).toBe(false);
    expect(keepsShareAlike('CC-BY-SA-4.0 AND MIT', sa4)).toBe(true);
    expect(keepsShareAlike(undefined, sa4)).toBe(false);
    expect(keepsShareAlike('CC-BY-SA-4.0', shareAlikeRequirement('CC-BY-SA-3.0')!)).toBe(true);
    expect(keepsShareAlike('CC-BY-SA-3.0', shareAlikeRequirement('CC-BY-SA-4.0')!)).toBe(false);
    expect(keepsShareAlike('GPL-3.0-only', shareAlikeRequirement('GPL-2.0-or-later')!)).toBe(true);
    expect(keepsShareAlike('GPL-3.0-only', shareAlikeRequirement('GPL-2.0-only')!)).toBe(false);
    expect(keepsShareAlike('CERN-OHL-S-2.0', shareAlikeRequirement('CERN-OHL-W-2.0')!)).toBe(true);
    expect(keepsShareAlike('CERN-OHL-P-2.0', shareAlikeRequirement('CERN-OHL-W-2.0')!)).toBe(false);
  });

  it('names the field, the upstream licence and what it requires', () => {
    const errors = shareAlikeViolations(
      { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-4.0' },
      { hardware: 'MIT', documentation: 'MIT' },
      'ana/press@1.0.0',
    );
    expect(errors).toEqual([
      {
        field: '/licenses/hardware',
        value: 'MIT',
        message:
          'ana/press@1.0.0 is licensed CERN-OHL-S-2.0 (hardware); CERN-OHL-S-2.0 is a share-alike licence: a derived design must stay under CERN-OHL-S-2.0; "MIT" is not compatible',
      },
    ]);
    expect(() => checkShareAlike({ hardware: 'CERN-OHL-S-2.0' }, {}, 'ana/press@1.0.0')).toThrow(/may not be dropped/);
    expect(() => checkShareAlike({ hardware: 'CERN-OHL-S-2.0' }, { hardware: 'CERN-OHL-S-2.0' }, 'x')).not.toThrow();
  });

  it('flags non-commercial, no-derivatives and custom licences', () => {
    expect(
      licenseFlags({ hardware: 'CC-BY-NC-SA-4.0', documentation: 'CC-BY-NC-ND-4.0', software: 'LicenseRef-Mine' }).map(
        (f) => [f.field, f.flag],
      ),
    ).toEqual([
      ['hardware', 'non-commercial'],
      ['documentation', 'non-commercial'],
      ['documentation', 'no-derivatives'],
      ['software', 'custom'],
    ]);
    expect(licenseFlags({ hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0' })).toEqual([]);
  });
});
