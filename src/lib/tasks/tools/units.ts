/** Unit conversion with exact factors (rationals); temperatures are affine. */
import { Rational } from './rational';

type Dimension = 'length' | 'mass' | 'time' | 'volume' | 'area' | 'speed' | 'data' | 'temperature';

interface Unit {
  dimension: Dimension;
  /** Size of one unit in the dimension's base unit. */
  factor: Rational;
}

const r = (text: string) => Rational.parseDecimal(text);
const ratio = (a: string, b: string) => r(a).div(r(b));

const UNITS: Record<string, Unit> = {};
function define(dimension: Dimension, names: string[], factor: Rational): void {
  for (const n of names) UNITS[n.toLowerCase()] = { dimension, factor };
}

define('length', ['m', 'meter', 'meters', 'metre', 'metres'], r('1'));
define('length', ['km', 'kilometer', 'kilometers', 'kilometre', 'kilometres'], r('1000'));
define('length', ['cm', 'centimeter', 'centimeters', 'centimetre', 'centimetres'], r('0.01'));
define('length', ['mm', 'millimeter', 'millimeters', 'millimetre', 'millimetres'], r('0.001'));
define('length', ['mi', 'mile', 'miles'], r('1609.344'));
define('length', ['yd', 'yard', 'yards'], r('0.9144'));
define('length', ['ft', 'foot', 'feet'], r('0.3048'));
define('length', ['in', 'inch', 'inches'], r('0.0254'));
define('length', ['nmi', 'nautical mile', 'nautical miles'], r('1852'));
define('mass', ['kg', 'kilogram', 'kilograms'], r('1'));
define('mass', ['g', 'gram', 'grams'], r('0.001'));
define('mass', ['mg', 'milligram', 'milligrams'], r('0.000001'));
define('mass', ['t', 'tonne', 'tonnes', 'metric ton'], r('1000'));
define('mass', ['lb', 'lbs', 'pound', 'pounds'], r('0.45359237'));
define('mass', ['oz', 'ounce', 'ounces'], r('0.45359237').div(r('16')));
define('time', ['s', 'sec', 'second', 'seconds'], r('1'));
define('time', ['min', 'minute', 'minutes'], r('60'));
define('time', ['h', 'hr', 'hour', 'hours'], r('3600'));
define('time', ['day', 'days'], r('86400'));
define('time', ['week', 'weeks'], r('604800'));
define('volume', ['l', 'liter', 'liters', 'litre', 'litres'], r('1'));
define('volume', ['ml', 'milliliter', 'milliliters', 'millilitre', 'millilitres'], r('0.001'));
define('volume', ['gal', 'gallon', 'gallons', 'us gallon'], r('3.785411784'));
define('volume', ['qt', 'quart', 'quarts'], r('0.946352946'));
define('volume', ['cup', 'cups'], r('0.2365882365'));
define('area', ['m2', 'sq m', 'square meter', 'square meters', 'square metre', 'square metres'], r('1'));
define('area', ['km2', 'sq km', 'square kilometer', 'square kilometers', 'square kilometre', 'square kilometres'], r('1000000'));
define('area', ['ha', 'hectare', 'hectares'], r('10000'));
define('area', ['acre', 'acres'], r('4046.8564224'));
define('area', ['ft2', 'sq ft', 'square foot', 'square feet'], r('0.09290304'));
define('speed', ['m/s', 'meters per second', 'metres per second'], r('1'));
define('speed', ['km/h', 'kph', 'kmh', 'kilometers per hour', 'kilometres per hour'], ratio('1000', '3600'));
define('speed', ['mph', 'miles per hour'], ratio('1609.344', '3600'));
define('speed', ['kn', 'knot', 'knots'], ratio('1852', '3600'));
define('data', ['b', 'byte', 'bytes'], r('1'));
define('data', ['kb', 'kilobyte', 'kilobytes'], r('1000'));
define('data', ['mb', 'megabyte', 'megabytes'], r('1000000'));
define('data', ['gb', 'gigabyte', 'gigabytes'], r('1000000000'));
define('data', ['kib', 'kibibyte', 'kibibytes'], r('1024'));
define('data', ['mib', 'mebibyte', 'mebibytes'], r('1048576'));
define('data', ['gib', 'gibibyte', 'gibibytes'], r('1073741824'));
for (const t of ['c', '°c', 'celsius', 'f', '°f', 'fahrenheit', 'k', 'kelvin']) UNITS[t] = { dimension: 'temperature', factor: r('1') };

function lookup(name: string): Unit {
  const unit = UNITS[name.trim().toLowerCase().replace(/\s+/g, ' ')];
  if (!unit) throw new RangeError(`unknown unit "${name}"`);
  return unit;
}

function toKelvin(v: Rational, unit: string): Rational {
  const u = unit.trim().toLowerCase().replace('°', '');
  if (u === 'c' || u === 'celsius') return v.add(r('273.15'));
  if (u === 'f' || u === 'fahrenheit') return v.sub(r('32')).mul(ratio('5', '9')).add(r('273.15'));
  return v;
}

function fromKelvin(v: Rational, unit: string): Rational {
  const u = unit.trim().toLowerCase().replace('°', '');
  if (u === 'c' || u === 'celsius') return v.sub(r('273.15'));
  if (u === 'f' || u === 'fahrenheit') return v.sub(r('273.15')).mul(ratio('9', '5')).add(r('32'));
  return v;
}

export function convertUnits(value: Rational, from: string, to: string): Rational {
  const a = lookup(from);
  const b = lookup(to);
  if (a.dimension !== b.dimension) throw new RangeError(`cannot convert ${a.dimension} (${from}) to ${b.dimension} (${to})`);
  if (a.dimension === 'temperature') return fromKelvin(toKelvin(value, from), to);
  return value.mul(a.factor).div(b.factor);
}

/** A conversion result for display: exact when short, else rounded to 6 decimals. */
export function formatQuantity(v: Rational): string {
  const exact = v.toExactDecimal();
  return exact !== null && exact.length <= 18 ? exact : v.toFixed(6);
}
