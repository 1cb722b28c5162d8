/**
 * The guest's Debian i386 packages: what AgentBench's Ubuntu image has and its OS tasks call (bash, GNU
 * tools, users, processes, python3, tree, zip, vim, file), plus every library they load. Listed by hand
 * (`apt-cache depends --recurse` also drags in perl, debconf and dpkg through alternatives); the build
 * checks each binary's libraries with the ELF loader of the unpacked tree, so a missing one fails the build.
 * The guest cache is keyed by this list and the build scripts: editing either rebuilds.
 */
export const GUEST_PACKAGES = [
  // base: files, users, shells
  'base-files', 'base-passwd', 'bash', 'dash', 'debianutils', 'ncurses-base', 'ncurses-bin', 'hostname',
  // GNU tools and the rest the tasks use
  'coreutils', 'findutils', 'grep', 'sed', 'gawk', 'diffutils', 'procps', 'util-linux', 'util-linux-extra', 'mount',
  'passwd', 'login', 'libc-bin', 'tar', 'gzip', 'bzip2', 'xz-utils', 'tree', 'zip', 'unzip', 'vim-tiny',
  'vim-common', 'file', 'less', 'bc', 'psmisc',
  // python3 (the interpreter and its standard library's pure-python part)
  'python3.11-minimal', 'libpython3.11-minimal', 'libpython3.11-stdlib', 'libffi8', 'libsqlite3-0',
  'media-types',
  // libraries
  'libc6', 'libgcc-s1', 'libacl1', 'libattr1', 'libaudit1', 'libaudit-common', 'libblkid1', 'libbz2-1.0',
  'libcap2', 'libcap-ng0', 'libcrypt1', 'libexpat1', 'liblzma5', 'liblz4-1', 'libmount1', 'libmd0',
  'libncursesw6', 'libtinfo6', 'libpam0g', 'libpam-modules', 'libpam-modules-bin', 'libpam-runtime',
  'libpcre2-8-0', 'libproc2-0', 'libreadline8', 'readline-common', 'libselinux1', 'libsemanage2',
  'libsemanage-common', 'libsepol2', 'libsmartcols1', 'libsystemd0', 'libudev1', 'libuuid1', 'libzstd1',
  'zlib1g', 'libgmp10', 'libmpfr6', 'libsigsegv2', 'libssl3', 'libgcrypt20', 'libgpg-error0', 'libdb5.3',
  'libmagic1', 'libmagic-mgc', 'libbsd0', 'libtirpc3', 'libtirpc-common', 'libgssapi-krb5-2', 'libkrb5-3',
  'libk5crypto3', 'libkrb5support0', 'libcom-err2', 'libkeyutils1', 'libnsl2',
];

/** Architecture-independent packages among them (apt names these without `:i386`). */
export const ARCH_ALL_PACKAGES = new Set([
  'ncurses-base', 'vim-common', 'libaudit-common', 'libpam-runtime', 'readline-common', 'libsemanage-common',
  'libtirpc-common', 'seabios', 'media-types',
]);

/** The kernel (a metapackage naming the current Debian 686 kernel) and the BIOS. */
export const KERNEL_PACKAGE = 'linux-image-686';
export const BIOS_PACKAGE = 'seabios';

/** Dropped from the unpacked tree: documentation, translations, and what only a package manager reads. */
export const PRUNED_PATHS = [
  'usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale', 'usr/share/lintian',
  'usr/share/bug', 'usr/share/vim/vim90/doc', 'usr/share/zoneinfo', 'usr/share/common-licenses',
  'usr/lib/python3.11/test', 'usr/lib/python3.11/idlelib', 'usr/lib/python3.11/tkinter', 'usr/lib/python3.11/lib2to3',
  'usr/lib/i386-linux-gnu/gconv', 'usr/lib/python3.11/ensurepip', 'usr/lib/python3.11/pydoc_data', 'usr/lib/python3.11/turtledemo',
];
