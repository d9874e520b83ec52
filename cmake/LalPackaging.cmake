# SPDX-License-Identifier: MIT
# Debian packages with CPack, one per install component (cmake/LalInstall.cmake):
#   liblal1      the shared library (SONAME liblal.so.1, its versioned file and link;
#                the package name follows LAL_SOVERSION, as Debian's policy asks)
#   liblal-dev   headers, liblal.so, liblal.a, the CMake package, lal.pc, lal-static.pc
#   lal-tools    lal, lal-bench, lal-compare, lal-history, man pages, bash completions
#   liblal-uring1, liblal-uring-dev, liblal-xdp1, liblal-xdp-dev
#                the Linux modules that need a library (src/linux/modules.cmake)
# liblal1 depends on the C library alone (hwloc is loaded at run time when
# present). Dependencies on shared libraries come from dpkg-shlibdeps; a -dev
# package also depends on the -dev packages its archive and pkg-config files name.
# Build: the `deb` preset (prefix /usr, so GNUInstallDirs picks the multiarch
# libdir), then `cpack --config build/deb/CPackConfig.cmake` (scripts/deb-packages.sh).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lal)
set(CPACK_PACKAGE_VENDOR "the lal authors")
set(CPACK_PACKAGE_CONTACT "the lal authors <lal-maintainers@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
# A Debian package installs under /usr, whatever prefix the build was
# configured with (the pkg-config files and the CMake package are relocatable;
# GNUInstallDirs picks the multiarch libdir only for a /usr build, as the
# `deb` preset configures).
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
if(LAL_BUILD_TOOLS OR LAL_BUILD_BENCH)
  list(APPEND CPACK_COMPONENTS_ALL tools)
endif()
foreach(m ${LAL_MODULES})
  list(APPEND CPACK_COMPONENTS_ALL ${m} ${m}-dev)
endforeach()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The modules need liblal.so.1 from liblal1, a package of the same build:
# dpkg-shlibdeps finds it in the build tree, and their Depends name liblal1
# with its exact version.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/src)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://localhost/lal")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME liblal${LAL_SOVERSION})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
    "latency abstraction layer: affinity, priority, clocks, precise sleep, memory, topology\n"
    " One C API on Linux and Windows for what the OS does to a thread's latency.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME liblal-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(lal_dev_depends "liblal${LAL_SOVERSION} (= ${PROJECT_VERSION})")
if(LAL_HAVE_HWLOC AND NOT LAL_HWLOC STREQUAL "dlopen")
  string(APPEND lal_dev_depends ", libhwloc-dev") # linked: the archive needs it
endif()
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${lal_dev_depends}")
if(LAL_HAVE_HWLOC AND LAL_HWLOC STREQUAL "dlopen")
  # Loaded when present: suggested, not required (deb-src control Suggests).
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_SUGGESTS "libhwloc15")
endif()

set(lal_module_summary_uring "io_uring rings (lal/uring.h, liburing)")
set(lal_module_summary_xdp "XDP programs and AF_XDP sockets (lal/xdp.h, libxdp and libbpf)")
set(lal_module_devpkgs_uring "liburing-dev")
set(lal_module_devpkgs_xdp "libxdp-dev, libbpf-dev")
foreach(m ${LAL_MODULES})
  string(TOUPPER ${m} M)
  string(TOUPPER ${m}-DEV MD)
  set(CPACK_DEBIAN_${M}_PACKAGE_NAME liblal-${m}${LAL_SOVERSION})
  set(CPACK_DEBIAN_${M}_PACKAGE_SECTION libs)
  set(CPACK_DEBIAN_${M}_PACKAGE_DEPENDS "liblal${LAL_SOVERSION} (= ${PROJECT_VERSION})")
  set(CPACK_COMPONENT_${M}_DESCRIPTION
      "latency abstraction layer: ${lal_module_summary_${m}}
"
      " The Linux module as a library of its own, so liblal${LAL_SOVERSION} needs none of its libraries.")
  set(CPACK_DEBIAN_${MD}_PACKAGE_NAME liblal-${m}-dev)
  set(CPACK_DEBIAN_${MD}_PACKAGE_SECTION libdevel)
  set(CPACK_DEBIAN_${MD}_PACKAGE_DEPENDS
      "liblal-${m}${LAL_SOVERSION} (= ${PROJECT_VERSION}), liblal-dev (= ${PROJECT_VERSION}), ${lal_module_devpkgs_${m}}")
  set(CPACK_COMPONENT_${MD}_DESCRIPTION
      "latency abstraction layer: ${lal_module_summary_${m}}, development files
"
      " The header, the static library, CMake targets lal::${m} and lal::${m}_static,
"
      " and pkg-config files lal-${m} and lal-${m}-static.")
endforeach()
set(CPACK_COMPONENT_DEV_DESCRIPTION
    "latency abstraction layer: development files\n"
    " Headers, the static library, the CMake package (lal::lal, lal::lal_static)\n"
    " and pkg-config files (lal, lal-static).")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME lal-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION utils)
set(CPACK_COMPONENT_TOOLS_DESCRIPTION
    "latency abstraction layer: lal info/doctor, lal-bench, lal-compare, lal-history\n"
    " An environment report and low-latency audit, identical latency benchmarks on\n"
    " Linux and Windows, a comparison with a CI gate, and results over time (SQLite\n"
    " or PostgreSQL) with baselines per machine, change points and trend pages.")
include(CPack)
