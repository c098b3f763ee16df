// Manifests written from the OKH-LOSH (1.x and 2.x field names), OKH v1 and Kitspace specifications, and small projects around them.
import { zipSync, strToU8 } from 'fflate';

/** OKH-LOSH with the 1.x field names: okhv OKH-LOSHv1.0, outer-dimensions-mm as an OpenSCAD cube, repo-absolute paths. */
export const loshV1Toml = `okhv = "OKH-LOSHv1.0"
name = "OHLOOM"
repo = "https://gitlab.com/OSEGermany/ohloom"
version = "0.10.0"
release = "https://gitlab.com/OSEGermany/ohloom/-/tags/ohloom-0.10.0"
license = "CC-BY-SA-4.0"
licensor = "Jens Meisner"
organization = "OSE Germany e.V."
readme = "README.md"
image = "/Documentation/loom.jpg"
documentation-language = "en-GB"
technology-readiness-level = "OTLR-5"
documentation-readiness-level = "ODRL-3*"
function = "The Open Hardware Loom is a simple, hand-operated weaving loom made of wood, screws and 3D printed plastic pieces. It is simple to make and operate."
standard-compliance = "DIN SPEC 3105-1"
cpc-patent-class = "D03D 35/00"
tsdc = "MEC"
bom = "sBoM.csv"
manufacturing-instructions = "/Documentation/AssemblyGuide.md"
outer-dimensions-mm = "cube(size = [400,350,150])"
mass-g = 1850
fabric-width = 400

[[part]]
name = "Clamp Ring"
tsdc = "3DP"
source = "/3DParts/ClampRing/ClampRing.scad"
export = ["/3DParts/ClampRing/ClampRing.stl"]
material = "PLA"
`;

export const loshBom = 'Qty,Name,Material\n4,Clamp Ring,PLA\n2,Side frame,Pine 18 mm\n24,Wood screw 4x30,Steel\n';

/** OKH-LOSH with the 2.x field names: [outer-dimensions] table (mm), mass in g, [[image]] tables, fork-of, lists. */
export const loshV2Toml = `okhv = "2.4"
name = "Brick Press Mini"
repo = "https://example.org/brick-press-mini"
license = "CERN-OHL-S-2.0"
licensor = "Ana Ferreira <ana@example.org>"
function = "Presses compressed earth blocks by hand with a toggle lever; for villages without power."
documentation-language = ["en", "es"]
version = "2.1.0"
fork-of = "https://example.org/ose/brick-press"
organization = "Taller Xixón"
readme = "README.md"
technology-readiness-level = "OTRL-4"
documentation-readiness-level = "ODRL-2"
standard-compliance = ["DIN EN 1335", "ISO 1337"]
bom = "bom.csv"
manufacturing-instructions = ["docs/assembly.md", "https://example.org/video"]
source = ["cad/press.FCStd"]
mass = 48500.0
x-workshop-note = "kept as written"

[outer-dimensions]
width = 900
depth = 600
height = 1250.5

[[image]]
location = "photos/press.jpg"
depicts = "The press on a pallet"
slots = ["photo-thing-main"]

[[part]]
name = "Lever"
source = "cad/lever.FCStd"
mass = 3200.0

[part.outer-dimensions]
width = 1200
depth = 40
height = 40
`;

/** OKH v1: YAML opening with the manifest directive; license per part of the design; licensor as a person. */
export const okhV1Yaml = `%Open Know-How Manifest 1.0
---
date-created: 2019-04-12
manifest-author:
  name: Ben Okafor
  email: ben@example.org
title: Solar Water Heater
description: A thermosiphon solar water heater built from a recycled fridge grille and a 150 l tank.
intended-use: Heats water for a household of four in sunny climates without a pump.
keywords: [solar, water, thermosiphon]
project-link: https://example.org/solar-heater
version: v1.2
licensor:
  name: Ben Okafor
  email: ben@example.org
license:
  hardware: CERN-OHL-P-2.0
  documentation: CC-BY-4.0
documentation-language: en
development-stage: prototype
health-safety-notice: Water above 60 °C scalds; fit a tempering valve before the tap.
bom: bom.csv
making-instructions:
  - path: docs/build.md
    title: Build guide
design-files:
  - path: cad/collector.step
    title: Collector
derivative-of:
  title: Fridge grille heater
  web: https://example.org/fridge-heater
standards-used:
  - standard-title: Solar thermal collectors
    reference: ISO 9806
`;

export const kitspaceYaml = `summary: A USB-C power breakout with a 3.3 V regulator.
site: https://example.org/usb-c-breakout
color: blue
bom: 1-click-bom.tsv
gerbers: gerbers/
eda:
  type: kicad
  pcb: usb-c-breakout.kicad_pcb
`;

/** 1-click-bom columns (References, Qty, Description, Manufacturer, MPN…), tab-separated. */
export const oneClickBom =
  'References\tQty\tDescription\tManufacturer\tMPN\tDigikey\nC1,C2\t2\t10uF 0805 capacitor\tSamsung\tCL21A106KAYNNNE\t1276-2891-1-ND\nU1\t1\tLDO 3.3V\tTI\tTLV1117-33\t296-21112-1-ND\n';

export const kitspaceMultiYaml = `multi:
  left-hand:
    summary: Left half of a split keyboard.
    bom: left-hand/1-click-bom.tsv
    gerbers: left-hand/gerbers
    eda:
      type: kicad
      pcb: left-hand/left.kicad_pcb
  right-hand:
    summary: Right half of a split keyboard.
    bom: right-hand/1-click-bom.tsv
    gerbers: right-hand/gerbers
    eda:
      type: kicad
      pcb: right-hand/right.kicad_pcb
`;

export function zip(files: Record<string, string | Uint8Array>): Uint8Array {
  return zipSync(
    Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v])),
  );
}

/** A multipart import body. */
export function importForm(parts: { name: string; bytes: string | Uint8Array }[]): FormData {
  const fd = new FormData();
  for (const p of parts) fd.append('files', new Blob([p.bytes as BlobPart]), p.name);
  return fd;
}
