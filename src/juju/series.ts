// Ubuntu series names and their versions, as Juju maps `series:` to `base: ubuntu@<version>`.
export const UBUNTU_VERSIONS: Readonly<Record<string, string>> = {
  trusty: '14.04',
  xenial: '16.04',
  bionic: '18.04',
  focal: '20.04',
  jammy: '22.04',
  noble: '24.04',
};
