// Places on the globe: great-circle distance, the ~1 km rounding that keeps workshops' homes private, "lat,lon" text.
import { AppError, composed, type FieldErrorInput, msg, renderMessage } from '../errors.js';

export interface Point {
  lat: number;
  lon: number;
}

const earthRadiusKm = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Haversine distance in km: exact enough at workshop scale, stable for tiny distances (unlike the law of cosines). */
export function haversineKm(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Two decimals of a degree are ~1.1 km of latitude: enough to find a workshop, not enough to find a house. */
export function roundCoordinate(deg: number): number {
  return Math.round(deg * 100) / 100;
}

/** `"lat,lon"` (its shape checked by the lat-lon schema) → a point, or 400 when it is off the globe. */
export function parsePoint(text: string, field: string): Point {
  const [lat, lon] = text.split(',').map((s) => Number(s.trim()));
  const errors: FieldErrorInput[] = [];
  if (!(lat >= -90 && lat <= 90)) errors.push({ field, value: text, message: msg('fields.latitude') });
  if (!(lon >= -180 && lon <= 180)) errors.push({ field, value: text, message: msg('fields.longitude') });
  if (errors.length)
    throw new AppError(
      'validation',
      composed('builds.notAPoint', {
        field,
        text,
        why: (locale) => errors.map((e) => renderMessage(e.message, locale)).join('; '),
      }),
      { errors },
    );
  return { lat, lon };
}
