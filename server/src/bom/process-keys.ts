// The catalogue key of each making process of the BOM's vocabulary (schemas/bom-process.schema.json), one map for
// every reader: the web (web.processes.*) and the packet (packet.processes.*) name them alike. Typed: a process added
// to the vocabulary must be named here.
import type { Process } from './kernel/processes.js';

const processKeys: Record<Process, string> = {
  welding: 'processes.welding',
  'cutting-torch': 'processes.cuttingTorch',
  'plasma-cnc': 'processes.plasmaCnc',
  'laser-cut': 'processes.laserCut',
  'cnc-mill': 'processes.cncMill',
  lathe: 'processes.lathe',
  'drill-press': 'processes.drillPress',
  '3d-print-fdm': 'processes.3dPrintFdm',
  '3d-print-sla': 'processes.3dPrintSla',
  woodworking: 'processes.woodworking',
  'electronics-assembly': 'processes.electronicsAssembly',
  casting: 'processes.casting',
  bending: 'processes.bending',
  sawing: 'processes.sawing',
  grinding: 'processes.grinding',
  painting: 'processes.painting',
  machining: 'processes.machining',
  assembly: 'processes.assembly',
  hydraulics: 'processes.hydraulics',
  sewing: 'processes.sewing',
};

/** `processes.welding` for `welding`; undefined for a process outside the vocabulary (free text, shown as written). */
export function processKey(process: string): string | undefined {
  return Object.hasOwn(processKeys, process) ? processKeys[process as Process] : undefined;
}
