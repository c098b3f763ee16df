// Part colours and lights of previews: a calm product palette, steel blue-grey first.

export const PALETTE: [number, number, number][] = [
  [0.6, 0.67, 0.76], // steel blue-grey
  [0.89, 0.6, 0.3], // amber
  [0.52, 0.7, 0.56], // sage
  [0.64, 0.58, 0.78], // lavender slate
  [0.38, 0.65, 0.7], // teal
  [0.82, 0.5, 0.43], // terracotta
  [0.8, 0.73, 0.52], // sand
  [0.46, 0.49, 0.54], // graphite
];

/** Edge line colour (dark slate) and how strongly silhouettes / creases blend towards it. */
export const EDGE_RGB: [number, number, number] = [38, 45, 56];
export const SILHOUETTE_STRENGTH = 0.8;
export const CREASE_STRENGTH = 0.45;

/** Light background: a soft vertical gradient, top → bottom (sRGB bytes). */
export const BG_TOP: [number, number, number] = [248, 249, 251];
export const BG_BOTTOM: [number, number, number] = [233, 236, 241];
