// The controlled vocabulary of making processes, shared by BOM lines and workshops.

/**
 * Process names a BOM line may carry in `process`. Workshops list the same names, so a design can
 * be matched to the places able to make it. Extend by appending: stored BOMs keep old names valid.
 * `schemas/bom-process.schema.json` repeats this list as an enum; a test keeps the two equal.
 */
export const PROCESSES = [
  'welding',
  'cutting-torch',
  'plasma-cnc',
  'laser-cut',
  'cnc-mill',
  'lathe',
  'drill-press',
  '3d-print-fdm',
  '3d-print-sla',
  'woodworking',
  'electronics-assembly',
  'casting',
  'bending',
  'sawing',
  'grinding',
  'painting',
  'machining',
  'assembly',
  'hydraulics',
  'sewing',
] as const;

export type Process = (typeof PROCESSES)[number];

const processSet: ReadonlySet<string> = new Set(PROCESSES);

/** Everyday spellings makers type in a "Process" column, mapped onto the vocabulary. */
const PROCESS_ALIASES: Readonly<Record<string, Process>> = {
  weld: 'welding',
  welded: 'welding',
  mig: 'welding',
  tig: 'welding',
  'arc welding': 'welding',
  torch: 'cutting-torch',
  'oxy-fuel': 'cutting-torch',
  'torch cut': 'cutting-torch',
  'flame cutting': 'cutting-torch',
  plasma: 'plasma-cnc',
  'cnc plasma': 'plasma-cnc',
  'plasma cut': 'plasma-cnc',
  laser: 'laser-cut',
  'laser cutting': 'laser-cut',
  'laser cutter': 'laser-cut',
  mill: 'cnc-mill',
  milling: 'cnc-mill',
  'cnc milling': 'cnc-mill',
  cnc: 'cnc-mill',
  turning: 'lathe',
  turned: 'lathe',
  drill: 'drill-press',
  drilling: 'drill-press',
  '3d print': '3d-print-fdm',
  '3d printed': '3d-print-fdm',
  '3d printing': '3d-print-fdm',
  fdm: '3d-print-fdm',
  fff: '3d-print-fdm',
  sla: '3d-print-sla',
  resin: '3d-print-sla',
  wood: 'woodworking',
  carpentry: 'woodworking',
  pcb: 'electronics-assembly',
  soldering: 'electronics-assembly',
  smt: 'electronics-assembly',
  cast: 'casting',
  bend: 'bending',
  'press brake': 'bending',
  saw: 'sawing',
  cut: 'sawing',
  grind: 'grinding',
  paint: 'painting',
  'powder coat': 'painting',
  'powder coating': 'painting',
  machined: 'machining',
  assemble: 'assembly',
  hydraulic: 'hydraulics',
  sew: 'sewing',
};

/** Maps a free-text process cell onto the vocabulary; undefined when it is not one we know. */
export function normaliseProcess(text: string): Process | undefined {
  const key = text
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, ' ');
  const dashed = key.replace(/ /g, '-');
  if (processSet.has(dashed)) return dashed as Process;
  return PROCESS_ALIASES[key];
}
