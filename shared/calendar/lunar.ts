/**
 * The Vietnamese lunar calendar (âm lịch), computed for the 105° East meridian (UTC+7).
 *
 * Rules, as published by Hồ Ngọc Đức ("Âm lịch Việt Nam" / "Thuật toán tính âm lịch"):
 *  1. A month starts on the local (UTC+7) day that holds the new moon (điểm Sóc).
 *  2. The winter solstice (Đông chí, apparent solar longitude 270°) always falls in month 11.
 *  3. When 13 months lie between two months 11, the leap month (tháng nhuận) is the first month
 *     after month 11 that holds no major solar term (Trung khí, solar longitude a multiple of 30°);
 *     it takes the number of the month before it.
 *  4. Everything is computed for UTC+7. (North Vietnam used UTC+8 until 08/08/1967; earlier dates
 *     here are proleptic UTC+7, which is what the published Vietnamese tables use.)
 *
 * Astronomy, from Jean Meeus, "Astronomical Algorithms" (2nd ed., 1998):
 *  - ch. 7: Julian Day (integer Gregorian ↔ JDN conversion);
 *  - ch. 10: Dynamical Time vs Universal Time; ΔT from the Espenak & Meeus (2006) polynomials;
 *  - ch. 25 (higher accuracy), ch. 22 and Appendix III: the Sun's apparent longitude from VSOP87
 *    with FK5, nutation and aberration corrections;
 *  - ch. 49: true new moon = mean phase + periodic terms + 14 planetary arguments.
 *
 * Everything is Julian-day arithmetic on numbers: no `Date`, no host time zone.
 *
 * Supported range: lunar years 1900..2199, i.e. Gregorian 1900-01-31 (Tết Canh Tý 1900) to
 * 2200-02-14 (the eve of Tết 2200), both inclusive. Outside it: UnsupportedDateError.
 *
 * Precision: new moons within about half a minute (Meeus ch. 49) plus the error of ΔT, which is seconds
 * up to now but an extrapolation afterwards (minutes by 2200); solar terms within about 1″ (25 s).
 * Tết and Giỗ Tổ 1901–2100 agree with python-holidays' Vietnamese tables (see the tests). Where a
 * new moon falls within seconds of local midnight the day is uncertain for every published table;
 * those cases in range are the month starts of 1944-06, 1967-07, 2054-05, 2077-11, 2085-10,
 * 2150-05 and 2175-01, and the 1938 autumn equinox (1″ from midnight, deciding leap month 8 vs 7).
 * Against Hồ Ngọc Đức's own simplified series the only differences in Tết are 2175 (here 22/01,
 * his 23/01) and 2199 (here 26/01, his 27/01), both new moons less than 3 minutes before midnight
 * in years whose ΔT (6–7 minutes) is an extrapolation; Giỗ Tổ and leap months agree for all 300 years.
 */
import { InvalidInputError, UnsupportedDateError } from "../errors.ts";

/** A Gregorian date; month 1–12. */
export interface SolarDate {
  year: number;
  month: number;
  day: number;
}

/** A Vietnamese lunar date; `leap` marks the leap month (tháng nhuận) that repeats `month`. */
export interface LunarDate {
  year: number;
  month: number;
  day: number;
  leap: boolean;
}

export const LUNAR_MIN_YEAR = 1900;
export const LUNAR_MAX_YEAR = 2199;

/** Hours east of UTC of the 105°E meridian. */
const TIME_ZONE_DAYS = 7 / 24;
const DEG = Math.PI / 180;
/** Meeus ch. 49: mean synodic month and the JDE of the mean new moon k = 0 (2000-01-06). */
const SYNODIC_MONTH = 29.530588861;
const NEW_MOON_EPOCH_JDE = 2451550.09766;
const J2000 = 2451545.0;

// ---------------------------------------------------------------------------------------------
// Julian Day Numbers (Meeus ch. 7, in the integer form of Fliegel & Van Flandern, 1968).

function isLeapGregorianYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInGregorianMonth(year: number, month: number): number {
  if (month === 2) return isLeapGregorianYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Julian Day Number of the civil day (the JD at its noon). */
function jdnFromGregorian(year: number, month: number, day: number): number {
  const a = Math.floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  return (
    day +
    Math.floor((153 * m + 2) / 5) +
    365 * y +
    Math.floor(y / 4) -
    Math.floor(y / 100) +
    Math.floor(y / 400) -
    32045
  );
}

function gregorianFromJdn(jdn: number): SolarDate {
  const a = jdn + 32044;
  const b = Math.floor((4 * a + 3) / 146097);
  const c = a - Math.floor((146097 * b) / 4);
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  return {
    year: 100 * b + d - 4800 + Math.floor(m / 10),
    month: m + 3 - 12 * Math.floor(m / 10),
    day: e - Math.floor((153 * m + 2) / 5) + 1,
  };
}

// ---------------------------------------------------------------------------------------------
// Astronomy.

/**
 * ΔT = TT − UT in seconds (Meeus ch. 10), from the polynomial expressions of Espenak & Meeus,
 * "Five Millennium Canon of Solar Eclipses" (NASA TP-2006-214141). After 2005 they are
 * extrapolations: a few seconds off today, minutes off by 2200.
 */
function deltaTSeconds(jde: number): number {
  const y = 2000 + (jde - J2000) / 365.2425;
  if (y < 1900) {
    const t = y - 1860;
    return (
      7.62 + 0.5737 * t - 0.251754 * t ** 2 + 0.01680668 * t ** 3 - 0.0004473624 * t ** 4 + t ** 5 / 233174
    );
  }
  if (y < 1920) {
    const t = y - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t ** 2 + 0.0061966 * t ** 3 - 0.000197 * t ** 4;
  }
  if (y < 1941) {
    const t = y - 1920;
    return 21.2 + 0.84493 * t - 0.0761 * t ** 2 + 0.0020936 * t ** 3;
  }
  if (y < 1961) {
    const t = y - 1950;
    return 29.07 + 0.407 * t - t ** 2 / 233 + t ** 3 / 2547;
  }
  if (y < 1986) {
    const t = y - 1975;
    return 45.45 + 1.067 * t - t ** 2 / 260 - t ** 3 / 718;
  }
  if (y < 2005) {
    const t = y - 2000;
    return (
      63.86 +
      0.3345 * t -
      0.060374 * t ** 2 +
      0.0017275 * t ** 3 +
      0.000651814 * t ** 4 +
      0.00002373599 * t ** 5
    );
  }
  if (y < 2050) {
    const t = y - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t ** 2;
  }
  const u = (y - 1820) / 100;
  if (y < 2150) return -20 + 32 * u ** 2 - 0.5628 * (2150 - y);
  return -20 + 32 * u ** 2;
}

/** Meeus ch. 49, table 49.A: periodic terms of the new moon as [coefficient, power of E, M, M′, F, Ω]. */
const NEW_MOON_TERMS: readonly (readonly [number, number, number, number, number, number])[] = [
  [-0.4072, 0, 0, 1, 0, 0],
  [0.17241, 1, 1, 0, 0, 0],
  [0.01608, 0, 0, 2, 0, 0],
  [0.01039, 0, 0, 0, 2, 0],
  [0.00739, 1, -1, 1, 0, 0],
  [-0.00514, 1, 1, 1, 0, 0],
  [0.00208, 2, 2, 0, 0, 0],
  [-0.00111, 0, 0, 1, -2, 0],
  [-0.00057, 0, 0, 1, 2, 0],
  [0.00056, 1, 1, 2, 0, 0],
  [-0.00042, 0, 0, 3, 0, 0],
  [0.00042, 1, 1, 0, 2, 0],
  [0.00038, 1, 1, 0, -2, 0],
  [-0.00024, 1, -1, 2, 0, 0],
  [-0.00017, 0, 0, 0, 0, 1],
  [-0.00007, 0, 2, 1, 0, 0],
  [0.00004, 0, 0, 2, -2, 0],
  [0.00004, 0, 3, 0, 0, 0],
  [0.00003, 0, 1, 1, -2, 0],
  [0.00003, 0, 0, 2, 2, 0],
  [-0.00003, 0, 1, 1, 2, 0],
  [0.00003, 0, -1, 1, 2, 0],
  [-0.00002, 0, -1, 1, -2, 0],
  [-0.00002, 0, 1, 3, 0, 0],
  [0.00002, 0, 0, 4, 0, 0],
];

/** Meeus ch. 49: the 14 planetary arguments A1..A14 as [constant, rate per k, coefficient]. */
const PLANETARY_TERMS: readonly (readonly [number, number, number])[] = [
  [299.77, 0.107408, 0.000325], // A1 also has −0.009173 T², added below
  [251.88, 0.016321, 0.000165],
  [251.83, 26.651886, 0.000164],
  [349.42, 36.412478, 0.000126],
  [84.66, 18.206239, 0.00011],
  [141.74, 53.303771, 0.000062],
  [207.14, 2.453732, 0.00006],
  [154.84, 7.30686, 0.000056],
  [34.52, 27.261239, 0.000047],
  [207.19, 0.121824, 0.000042],
  [291.34, 1.844379, 0.00004],
  [161.72, 24.198154, 0.000037],
  [239.56, 25.513099, 0.000035],
  [331.55, 3.592518, 0.000023],
];

/** JDE (Terrestrial Time) of the true new moon number k, k = 0 being 2000-01-06 (Meeus ch. 49). */
function newMoonJde(k: number): number {
  const t = k / 1236.85;
  const t2 = t * t;
  const t3 = t2 * t;
  const t4 = t3 * t;
  const mean =
    NEW_MOON_EPOCH_JDE + SYNODIC_MONTH * k + 0.00015437 * t2 - 0.00000015 * t3 + 0.00000000073 * t4;
  const e = 1 - 0.002516 * t - 0.0000074 * t2;
  const m = (2.5534 + 29.1053567 * k - 0.0000014 * t2 - 0.00000011 * t3) * DEG;
  const mPrime = (201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4) * DEG;
  const f = (160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4) * DEG;
  const omega = (124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3) * DEG;
  let correction = 0;
  for (const [coefficient, ePower, cm, cmPrime, cf, cOmega] of NEW_MOON_TERMS) {
    correction += coefficient * e ** ePower * Math.sin(cm * m + cmPrime * mPrime + cf * f + cOmega * omega);
  }
  PLANETARY_TERMS.forEach(([constant, rate, coefficient], index) => {
    const argument = constant + rate * k - (index === 0 ? 0.009173 * t2 : 0);
    correction += coefficient * Math.sin(argument * DEG);
  });
  return mean + correction;
}

/**
 * The Earth's heliocentric longitude L and radius vector R from VSOP87 (Bretagnon & Francou, 1988),
 * truncated as printed in Meeus, Appendix III (also Reda & Andreas, NREL/TP-560-34302, table A4.2).
 * Each series is a list of [A, B, C] meaning A·cos(B + C·τ), τ in Julian millennia from J2000 (TT);
 * L is in 1e-8 radians, R in 1e-8 au. The low-accuracy formula of ch. 25 is off by up to 0.01°
 * (15 minutes of time), enough to move a solar term that falls near midnight to the wrong day
 * and with it a leap month; this series keeps that error near 1″.
 */
type Series = readonly (readonly [number, number, number])[];
const EARTH_L: readonly Series[] = [
  [
    [175347046, 0, 0],
    [3341656, 4.6692568, 6283.07585],
    [34894, 4.6261, 12566.1517],
    [3497, 2.7441, 5753.3849],
    [3418, 2.8289, 3.5231],
    [3136, 3.6277, 77713.7715],
    [2676, 4.4181, 7860.4194],
    [2343, 6.1352, 3930.2097],
    [1324, 0.7425, 11506.7698],
    [1273, 2.0371, 529.691],
    [1199, 1.1096, 1577.3435],
    [990, 5.233, 5884.927],
    [902, 2.045, 26.298],
    [857, 3.508, 398.149],
    [780, 1.179, 5223.694],
    [753, 2.533, 5507.553],
    [505, 4.583, 18849.228],
    [492, 4.205, 775.523],
    [357, 2.92, 0.067],
    [317, 5.849, 11790.629],
    [284, 1.899, 796.298],
    [271, 0.315, 10977.079],
    [243, 0.345, 5486.778],
    [206, 4.806, 2544.314],
    [205, 1.869, 5573.143],
    [202, 2.458, 6069.777],
    [156, 0.833, 213.299],
    [132, 3.411, 2942.463],
    [126, 1.083, 20.775],
    [115, 0.645, 0.98],
    [103, 0.636, 4694.003],
    [102, 0.976, 15720.839],
    [102, 4.267, 7.114],
    [99, 6.21, 2146.17],
    [98, 0.68, 155.42],
    [86, 5.98, 161000.69],
    [85, 1.3, 6275.96],
    [85, 3.67, 71430.7],
    [80, 1.81, 17260.15],
    [79, 3.04, 12036.46],
    [75, 1.76, 5088.63],
    [74, 3.5, 3154.69],
    [74, 4.68, 801.82],
    [70, 0.83, 9437.76],
    [62, 3.98, 8827.39],
    [61, 1.82, 7084.9],
    [57, 2.78, 6286.6],
    [56, 4.39, 14143.5],
    [56, 3.47, 6279.55],
    [52, 0.19, 12139.55],
    [52, 1.33, 1748.02],
    [51, 0.28, 5856.48],
    [49, 0.49, 1194.45],
    [41, 5.37, 8429.24],
    [41, 2.4, 19651.05],
    [39, 6.17, 10447.39],
    [37, 6.04, 10213.29],
    [37, 2.57, 1059.38],
    [36, 1.71, 2352.87],
    [36, 1.78, 6812.77],
    [33, 0.59, 17789.85],
    [30, 0.44, 83996.85],
    [30, 2.74, 1349.87],
    [25, 3.16, 4690.48],
  ],
  [
    [628331966747, 0, 0],
    [206059, 2.678235, 6283.07585],
    [4303, 2.6351, 12566.1517],
    [425, 1.59, 3.523],
    [119, 5.796, 26.298],
    [109, 2.966, 1577.344],
    [93, 2.59, 18849.23],
    [72, 1.14, 529.69],
    [68, 1.87, 398.15],
    [67, 4.41, 5507.55],
    [59, 2.89, 5223.69],
    [56, 2.17, 155.42],
    [45, 0.4, 796.3],
    [36, 0.47, 775.52],
    [29, 2.65, 7.11],
    [21, 5.34, 0.98],
    [19, 1.85, 5486.78],
    [19, 4.97, 213.3],
    [17, 2.99, 6275.96],
    [16, 0.03, 2544.31],
    [16, 1.43, 2146.17],
    [15, 1.21, 10977.08],
    [12, 2.83, 1748.02],
    [12, 3.26, 5088.63],
    [12, 5.27, 1194.45],
    [12, 2.08, 4694],
    [11, 0.77, 553.57],
    [10, 1.3, 6286.6],
    [10, 4.24, 1349.87],
    [9, 2.7, 242.73],
    [9, 5.64, 951.72],
    [8, 5.3, 2352.87],
    [6, 2.65, 9437.76],
    [6, 4.67, 4690.48],
  ],
  [
    [52919, 0, 0],
    [8720, 1.0721, 6283.0758],
    [309, 0.867, 12566.152],
    [27, 0.05, 3.52],
    [16, 5.19, 26.3],
    [16, 3.68, 155.42],
    [10, 0.76, 18849.23],
    [9, 2.06, 77713.77],
    [7, 0.83, 775.52],
    [5, 4.66, 1577.34],
    [4, 1.03, 7.11],
    [4, 3.44, 5573.14],
    [3, 5.14, 796.3],
    [3, 6.05, 5507.55],
    [3, 1.19, 242.73],
    [3, 6.12, 529.69],
    [3, 0.31, 398.15],
    [3, 2.28, 553.57],
    [2, 4.38, 5223.69],
    [2, 3.75, 0.98],
  ],
  [
    [289, 5.844, 6283.076],
    [35, 0, 0],
    [17, 5.49, 12566.15],
    [3, 5.2, 155.42],
    [1, 4.72, 3.52],
    [1, 5.3, 18849.23],
    [1, 5.97, 242.73],
  ],
  [
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the phase as published, not π
    [114, 3.142, 0],
    [8, 4.13, 6283.08],
    [1, 3.84, 12566.15],
  ],
  [[1, 3.14, 0]],
];
const EARTH_R: readonly Series[] = [
  [
    [100013989, 0, 0],
    [1670700, 3.0984635, 6283.07585],
    [13956, 3.05525, 12566.1517],
    [3084, 5.1985, 77713.7715],
    [1628, 1.1739, 5753.3849],
    [1576, 2.8469, 7860.4194],
    [925, 5.453, 11506.77],
    [542, 4.564, 3930.21],
    [472, 3.661, 5884.927],
    [346, 0.964, 5507.553],
    [329, 5.9, 5223.694],
    [307, 0.299, 5573.143],
    [243, 4.273, 11790.629],
    [212, 5.847, 1577.344],
    [186, 5.022, 10977.079],
    [175, 3.012, 18849.228],
    [110, 5.055, 5486.778],
    [98, 0.89, 6069.78],
    [86, 5.69, 15720.84],
    [86, 1.27, 161000.69],
    [65, 0.27, 17260.15],
    [63, 0.92, 529.69],
    [57, 2.01, 83996.85],
    [56, 5.24, 71430.7],
    [49, 3.25, 2544.31],
    [47, 2.58, 775.52],
    [45, 5.54, 9437.76],
    [43, 6.01, 6275.96],
    [39, 5.36, 4694],
    [38, 2.39, 8827.39],
    [37, 0.83, 19651.05],
    [37, 4.9, 12139.55],
    [36, 1.67, 12036.46],
    [35, 1.84, 2942.46],
    [33, 0.24, 7084.9],
    [32, 0.18, 5088.63],
    [32, 1.78, 398.15],
    [28, 1.21, 6286.6],
    [28, 1.9, 6279.55],
    [26, 4.59, 10447.39],
  ],
  [
    [103019, 1.10749, 6283.07585],
    [1721, 1.0644, 12566.1517],
    // biome-ignore lint/suspicious/noApproximativeNumericConstant: the phase as published, not π
    [702, 3.142, 0],
    [32, 1.02, 18849.23],
    [31, 2.84, 5507.55],
    [25, 1.32, 5223.69],
    [18, 1.42, 1577.34],
    [10, 5.91, 10977.08],
    [9, 1.42, 6275.96],
    [9, 0.27, 5486.78],
  ],
  [
    [4359, 5.7846, 6283.0758],
    [124, 5.579, 12566.152],
    [12, 3.14, 0],
    [9, 3.63, 77713.77],
    [6, 1.87, 5573.14],
    [3, 5.47, 18849.23],
  ],
  [
    [145, 4.273, 6283.076],
    [7, 3.92, 12566.15],
  ],
  [[4, 2.56, 6283.08]],
];

/** Σ τⁱ · Σ A·cos(B + C·τ), the form of every VSOP87 coordinate (Meeus ch. 32). */
function vsop(series: readonly Series[], tau: number): number {
  let total = 0;
  let power = 1;
  for (const terms of series) {
    let sum = 0;
    for (const [a, b, c] of terms) sum += a * Math.cos(b + c * tau);
    total += sum * power;
    power *= tau;
  }
  return total / 1e8;
}

/**
 * The Sun's apparent geocentric longitude in degrees, [0, 360), at the instant JDE (Meeus ch. 25,
 * "higher accuracy"): VSOP87 L + 180°, the FK5 correction (−0.09033″), nutation in longitude from
 * the four main terms of ch. 22 (±0.5″) and aberration −20.4898″/R. About 1″, i.e. 25 s of time.
 */
function sunApparentLongitude(jde: number): number {
  const t = (jde - J2000) / 36525;
  const tau = t / 10;
  const geometric = (vsop(EARTH_L, tau) / DEG + 180) % 360;
  const radius = vsop(EARTH_R, tau);
  const omega = (125.04452 - 1934.136261 * t) * DEG;
  const sunMean = (280.4665 + 36000.7698 * t) * DEG;
  const moonMean = (218.3165 + 481267.8813 * t) * DEG;
  const nutationArcsec =
    -17.2 * Math.sin(omega) -
    1.32 * Math.sin(2 * sunMean) -
    0.23 * Math.sin(2 * moonMean) +
    0.21 * Math.sin(2 * omega);
  const lambda = geometric + (-0.09033 + nutationArcsec - 20.4898 / radius) / 3600;
  return ((lambda % 360) + 360) % 360;
}

/** The Sun's apparent longitude in degrees, [0, 360), to about 0.01° (Meeus ch. 25, first method). */
function sunApparentLongitudeLowAccuracy(jde: number): number {
  const t = (jde - J2000) / 36525;
  const t2 = t * t;
  const l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t2;
  const m = (357.52911 + 35999.05029 * t - 0.0001537 * t2) * DEG;
  const c =
    (1.914602 - 0.004817 * t - 0.000014 * t2) * Math.sin(m) +
    (0.019993 - 0.000101 * t) * Math.sin(2 * m) +
    0.000289 * Math.sin(3 * m);
  const omega = (125.04 - 1934.136 * t) * DEG;
  const lambda = l0 + c - 0.00569 - 0.00478 * Math.sin(omega);
  return ((lambda % 360) + 360) % 360;
}

/** Converts an instant in Universal Time (as a JD) to Terrestrial Time. */
function utToTt(jdUt: number): number {
  return jdUt + deltaTSeconds(jdUt) / 86400;
}

/** The local (UTC+7) civil day, as a JDN, that holds the new moon number k. */
const newMoonDayCache = new Map<number, number>();
function newMoonDay(k: number): number {
  let day = newMoonDayCache.get(k);
  if (day === undefined) {
    const jde = newMoonJde(k);
    const jdUt = jde - deltaTSeconds(jde) / 86400;
    day = Math.floor(jdUt + 0.5 + TIME_ZONE_DAYS);
    newMoonDayCache.set(k, day);
  }
  return day;
}

/**
 * Which 30° sector (0 = 0°..30°, 9 = 270°..300°) the Sun is in at the start (local midnight) of
 * the day `jdn`. A month [start, nextStart) holds a major term iff the sector changes across it.
 */
function solarSectorAtDayStart(jdn: number): number {
  const jde = utToTt(jdn - 0.5 - TIME_ZONE_DAYS);
  // The low-accuracy longitude (±0.01°) settles the sector unless the Sun is near a boundary;
  // only then is the VSOP87 series (≈ 7 µs a call) worth its cost.
  const rough = sunApparentLongitudeLowAccuracy(jde);
  const fromBoundary = rough % 30;
  if (fromBoundary > 0.05 && fromBoundary < 29.95) return Math.floor(rough / 30);
  return Math.floor(sunApparentLongitude(jde) / 30);
}

/** New moon number k of the month 11 that holds the winter solstice of December `year` (rule 2). */
const month11Cache = new Map<number, number>();
function month11NewMoon(year: number): number {
  let k = month11Cache.get(year);
  if (k === undefined) {
    // The last mean new moon on or before 31 December; the true one differs by at most ~0.6 day,
    // so the next one starts after the solstice and the month holding the solstice is k or k − 1.
    const dec31 = jdnFromGregorian(year, 12, 31);
    k = Math.floor((dec31 - NEW_MOON_EPOCH_JDE) / SYNODIC_MONTH);
    // Sector 9 = longitude 270°..300°: the solstice already passed when month k began.
    if (solarSectorAtDayStart(newMoonDay(k)) >= 9) k -= 1;
    month11Cache.set(year, k);
  }
  return k;
}

// ---------------------------------------------------------------------------------------------
// Year tables.

interface LunarYearTable {
  readonly year: number;
  /** JDN of day 1 of each month, in order, then the JDN of the next year's Tết. */
  readonly starts: readonly number[];
  /** Month number of each entry of `starts` except the last. */
  readonly months: readonly number[];
  /** Index into `months` of the leap month, or −1. */
  readonly leapIndex: number;
}

interface SolsticeSpan {
  /** New moon numbers of the months from month 11 up to (not including) the next month 11. */
  readonly firstK: number;
  readonly months: readonly number[];
  readonly leapIndex: number;
}

/** The 12 or 13 months from month 11 near December of `year − 1` to month 11 near December `year`. */
const solsticeSpanCache = new Map<number, SolsticeSpan>();
function solsticeSpan(year: number): SolsticeSpan {
  let span = solsticeSpanCache.get(year);
  if (span === undefined) {
    span = buildSolsticeSpan(year);
    solsticeSpanCache.set(year, span);
  }
  return span;
}

function buildSolsticeSpan(year: number): SolsticeSpan {
  const firstK = month11NewMoon(year - 1);
  const count = month11NewMoon(year) - firstK;
  let leapIndex = -1;
  if (count === 13) {
    // Hồ Ngọc Đức's rule 3: the first month after month 11 with no Trung khí. A span of 13 months
    // holds only 12 major terms, so one of months 1..12 of the span has none.
    for (let i = 1; i <= 12; i++) {
      if (
        solarSectorAtDayStart(newMoonDay(firstK + i)) === solarSectorAtDayStart(newMoonDay(firstK + i + 1))
      ) {
        leapIndex = i;
        break;
      }
    }
  }
  const months: number[] = [];
  for (let i = 0; i < count; i++) {
    const ordinal = leapIndex !== -1 && i >= leapIndex ? i - 1 : i;
    months.push(((10 + ordinal) % 12) + 1);
  }
  return { firstK, months, leapIndex };
}

const yearTableCache = new Map<number, LunarYearTable>();

function buildYearTable(year: number): LunarYearTable {
  const starts: number[] = [];
  const months: number[] = [];
  let leapIndex = -1;
  const addFrom = (span: SolsticeSpan, from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      if (i === span.leapIndex) leapIndex = months.length;
      starts.push(newMoonDay(span.firstK + i));
      months.push(span.months[i]!);
    }
  };
  // Months 1..10 come from the span ending in month 11 of `year`; months 11 and 12 (and a leap
  // 11 or 12) from the next span, up to its month 1, which is the next Tết.
  const current = solsticeSpan(year);
  const next = solsticeSpan(year + 1);
  const firstMonth1 = (span: SolsticeSpan): number => (span.leapIndex === 1 || span.leapIndex === 2 ? 3 : 2);
  addFrom(current, firstMonth1(current), current.months.length);
  const nextTet = firstMonth1(next);
  addFrom(next, 0, nextTet);
  starts.push(newMoonDay(next.firstK + nextTet));
  return { year, starts, months, leapIndex };
}

function yearTable(year: number): LunarYearTable {
  let table = yearTableCache.get(year);
  if (table === undefined) {
    table = buildYearTable(year);
    yearTableCache.set(year, table);
  }
  return table;
}

// ---------------------------------------------------------------------------------------------
// Validation.

const pad = (value: number, width: number): string => String(value).padStart(width, "0");

function describeSolar(date: SolarDate): string {
  const { year, month, day } = date;
  return Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(day)
    ? `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`
    : `{ year: ${String(year)}, month: ${String(month)}, day: ${String(day)} }`;
}

function describeLunar(date: LunarDate): string {
  return `${String(date.day)}/${String(date.month)}${date.leap === true ? " (nhuận)" : ""}/${String(date.year)} âm lịch`;
}

function requireLunarYear(year: number): void {
  if (!Number.isInteger(year)) {
    throw new InvalidInputError(`Lunar year ${String(year)} is not an integer`, { year });
  }
  if (year < LUNAR_MIN_YEAR || year > LUNAR_MAX_YEAR) {
    throw new UnsupportedDateError(
      `Lunar year ${year} is outside the supported range ${LUNAR_MIN_YEAR}–${LUNAR_MAX_YEAR}`,
      { year },
    );
  }
}

/** Index into the year table of (month, leap), or throws InvalidInputError naming the month. */
function monthIndex(table: LunarYearTable, month: number, leap: boolean): number {
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    throw new InvalidInputError(`Lunar month ${String(month)} is not a month number 1–12`, { month });
  }
  if (typeof leap !== "boolean") {
    throw new InvalidInputError(`Lunar leap flag ${String(leap)} is not a boolean`, { leap });
  }
  if (leap) {
    if (table.leapIndex === -1 || table.months[table.leapIndex] !== month) {
      const actual = table.leapIndex === -1 ? "none" : `month ${table.months[table.leapIndex]}`;
      throw new InvalidInputError(
        `Lunar year ${table.year} has no leap month ${month} (its leap month: ${actual})`,
        { year: table.year, month, leap },
      );
    }
    return table.leapIndex;
  }
  for (let i = 0; i < table.months.length; i++) {
    if (table.months[i] === month && i !== table.leapIndex) return i;
  }
  throw new Error(`unreachable: lunar year ${table.year} lacks month ${month}`);
}

function lengthAt(table: LunarYearTable, index: number): 29 | 30 {
  return table.starts[index + 1]! - table.starts[index]! === 30 ? 30 : 29;
}

// ---------------------------------------------------------------------------------------------
// Public API.

/** Converts a Gregorian date to the Vietnamese lunar date. */
export function solarToLunar(date: SolarDate): LunarDate {
  const { year, month, day } = date;
  if (
    !Number.isInteger(year) ||
    !Number.isInteger(month) ||
    !Number.isInteger(day) ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInGregorianMonth(year, month)
  ) {
    throw new InvalidInputError(`Gregorian date ${describeSolar(date)} does not exist`, { year, month, day });
  }
  const unsupported = (): UnsupportedDateError =>
    new UnsupportedDateError(
      `Gregorian date ${describeSolar(date)} is outside the supported lunar years ${LUNAR_MIN_YEAR}–${LUNAR_MAX_YEAR}`,
      { year, month, day },
    );
  if (year < LUNAR_MIN_YEAR || year > LUNAR_MAX_YEAR + 1) throw unsupported();
  const jdn = jdnFromGregorian(year, month, day);
  // The lunar year is the Gregorian year, or the one before it for days before Tết.
  let lunarYear = year;
  if (lunarYear > LUNAR_MAX_YEAR || jdn < yearTable(lunarYear).starts[0]!) lunarYear -= 1;
  if (lunarYear < LUNAR_MIN_YEAR) throw unsupported();
  const table = yearTable(lunarYear);
  const { starts } = table;
  if (jdn >= starts[starts.length - 1]!) throw unsupported();
  // Binary search for the last month start ≤ jdn.
  let low = 0;
  let high = starts.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= jdn) low = middle;
    else high = middle - 1;
  }
  return {
    year: lunarYear,
    month: table.months[low]!,
    day: jdn - starts[low]! + 1,
    leap: low === table.leapIndex,
  };
}

/** Converts a Vietnamese lunar date to the Gregorian date. */
export function lunarToSolar(date: LunarDate): SolarDate {
  requireLunarYear(date.year);
  const table = yearTable(date.year);
  const index = monthIndex(table, date.month, date.leap);
  const length = lengthAt(table, index);
  if (!Number.isInteger(date.day) || date.day < 1 || date.day > length) {
    throw new InvalidInputError(
      `Lunar date ${describeLunar(date)} does not exist: that month has ${length} days`,
      { ...date, monthLength: length },
    );
  }
  return gregorianFromJdn(table.starts[index]! + date.day - 1);
}

/** Mùng 1 tháng Giêng (Tết Nguyên đán) of the lunar year. */
export function lunarNewYear(lunarYear: number): SolarDate {
  requireLunarYear(lunarYear);
  return gregorianFromJdn(yearTable(lunarYear).starts[0]!);
}

/** Number of days (29 or 30) of a lunar month; `leap` selects the leap month of that number. */
export function lunarMonthLength(year: number, month: number, leap: boolean): 29 | 30 {
  requireLunarYear(year);
  const table = yearTable(year);
  return lengthAt(table, monthIndex(table, month, leap));
}

/** The number of the month repeated as a leap month in the lunar year, if any. */
export function leapMonthOf(lunarYear: number): number | undefined {
  requireLunarYear(lunarYear);
  const table = yearTable(lunarYear);
  return table.leapIndex === -1 ? undefined : table.months[table.leapIndex];
}
