# SPDX-License-Identifier: MIT
# Debian packages with CPack, one per install component (cmake/LalInstall.cmake):
#   liblal0      the shared library (SONAME liblal.so.0, its versioned file and link)
#   liblal-dev   headers, liblal.so, liblal.a, the CMake package, lal.pc, lal-static.pc
#   lal-tools    lal, lal-bench, lal-compare, man pages, bash completions
# Dependencies on shared libraries come from dpkg-shlibdeps; liblal-dev also
# depends on the -dev packages its static library and pkg-config files name.
# Build: the `deb` preset (prefix /usr, so GNUInstallDirs picks the multiarch
# libdir), then `cpack --config build/deb/CPackConfig.cmake` (scripts/deb-packages.sh).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lal)
set(CPACK_PACKAGE_VENDOR "the lal authors")
set(CPACK_PACKAGE_CONTACT "the lal authors <lal-maintainers@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
if(LAL_BUILD_TOOLS OR LAL_BUILD_BENCH)
  list(APPEND CPACK_COMPONENTS_ALL tools)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://localhost/lal")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME liblal0)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
    "latency abstraction layer: affinity, priority, clocks, precise sleep, memory, topology\n"
    " One C API on Linux and Windows for what the OS does to a thread's latency.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME liblal-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(lal_dev_depends "liblal0 (= ${PROJECT_VERSION})")
foreach(pair "HWLOC;libhwloc-dev" "NUMA;libnuma-dev" "URING;liburing-dev")
  list(GET pair 0 feature)
  list(GET pair 1 package)
  if(LAL_FOUND_${feature})
    string(APPEND lal_dev_depends ", ${package}")
  endif()
endforeach()
if(LAL_BUILD_XDP)
  string(APPEND lal_dev_depends ", libxdp-dev, libbpf-dev")
endif()
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${lal_dev_depends}")
set(CPACK_COMPONENT_DEV_DESCRIPTION
    "latency abstraction layer: development files\n"
    " Headers, the static library, the CMake package (lal::lal, lal::lal_static)\n"
    " and pkg-config files (lal, lal-static).")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME lal-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION utils)
set(CPACK_COMPONENT_TOOLS_DESCRIPTION
    "latency abstraction layer: lal info/doctor, lal-bench, lal-compare\n"
    " An environment report and low-latency audit, identical latency benchmarks on\n"
    " Linux and Windows, and a comparison with a CI gate.")
include(CPack)
