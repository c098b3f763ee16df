// A BOM line's making process in the packet's language: the vocabulary's names from the catalogue (packet section),
// free text a maker typed as written.
import type { Process } from '../bom/kernel/processes.js';
import type { Translate } from '../locales/translate.js';

/** The catalogue key of each process of the kernel's vocabulary (typed: a process added there must be named here). */
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

/** "soldadura" for `welding` in a Spanish packet; a process outside the vocabulary as written. */
export function processName(t: Translate, process: string): string {
  return Object.hasOwn(processKeys, process) ? t(processKeys[process as Process]) : process;
}
