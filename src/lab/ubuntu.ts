import { UBUNTU_VERSIONS } from '../juju/series.js';

/** The Ubuntu release of a series (`xenial` -> `16.04`), as image servers name it; an unknown series is kept. */
export function ubuntuRelease(series: string): string {
  return UBUNTU_VERSIONS[series] ?? series;
}
