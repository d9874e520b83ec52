# SPDX-License-Identifier: MIT
# Install rules: headers, both libraries, the CMake package (lal::lal,
# lal::lal_static) and a pkg-config file.
set(LAL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/lal)

# Components, which the Debian packages follow (cmake/LalPackaging.cmake):
#   runtime  the shared library (liblal.so.1 and its versioned file; lal.dll)  -> liblal1
#   dev      headers, the .so link, the static library, the CMake package,
#            pkg-config files and the API's man pages (man3)                   -> liblal-dev
#   tools    lal, lal-bench, lal-compare, their man pages and completions     -> lal-tools
install(TARGETS lal EXPORT lalTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT dev
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(TARGETS lal_static EXPORT lalTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        COMPONENT dev)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
# The API's section-3 pages (generated from the headers), with the headers.
if(LAL_MAN3_DIR)
  install(DIRECTORY ${LAL_MAN3_DIR}/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man3 COMPONENT dev
          FILES_MATCHING PATTERN "*.3")
endif()
# The tools' man pages and (Linux) bash completions, with the tools.
if(LAL_BUILD_TOOLS)
  install(FILES ${PROJECT_SOURCE_DIR}/docs/man/lal.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
          COMPONENT tools)
endif()
if(LAL_BUILD_BENCH)
  install(FILES ${PROJECT_SOURCE_DIR}/docs/man/lal-bench.1 ${PROJECT_SOURCE_DIR}/docs/man/lal-compare.1
          DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT tools)
  if(LAL_HAVE_SQLITE)
    install(FILES ${PROJECT_SOURCE_DIR}/docs/man/lal-history.1
            DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT tools)
  endif()
endif()
if(LAL_OS_DIR STREQUAL "linux" AND (LAL_BUILD_TOOLS OR LAL_BUILD_BENCH))
  foreach(tool lal lal-bench lal-compare)
    install(FILES ${PROJECT_SOURCE_DIR}/tools/completion/${tool}
            DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions COMPONENT tools)
  endforeach()
endif()
# The Linux-only modules' headers (lal/uring.h, xdp.h, cgroup.h) are installed
# only where their module can be built: a Windows install has lal.h alone.
install(FILES ${PROJECT_SOURCE_DIR}/include/lal.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        COMPONENT dev)
# lal.h includes both inline headers, so every install needs them.
install(FILES ${PROJECT_SOURCE_DIR}/include/lal/clock_inline.h
              ${PROJECT_SOURCE_DIR}/include/lal/hist_inline.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/lal COMPONENT dev)
if(LAL_OS_DIR STREQUAL "linux")
  install(FILES ${PROJECT_SOURCE_DIR}/include/lal/cgroup.h
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/lal COMPONENT dev)
endif()
install(EXPORT lalTargets NAMESPACE lal:: DESTINATION ${LAL_CMAKE_DIR} COMPONENT dev)

# The Linux modules (src/linux/modules.cmake), each in components of its own
# (<m> the shared library -> liblal-<m>0; <m>-dev its header, links, archive,
# CMake targets and pkg-config files -> liblal-<m>-dev), so that liblal1 and
# liblal-dev name none of their libraries. lalConfig.cmake loads a module's
# targets when its -dev files are installed (find_package(lal COMPONENTS uring)).
foreach(m ${LAL_MODULES})
  install(TARGETS lal_${m} EXPORT lal-${m}Targets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT ${m} NAMELINK_COMPONENT ${m}-dev)
  install(TARGETS lal_${m}_static EXPORT lal-${m}Targets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT ${m}-dev)
  install(FILES ${PROJECT_SOURCE_DIR}/include/lal/${m}.h
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/lal COMPONENT ${m}-dev)
  install(EXPORT lal-${m}Targets NAMESPACE lal:: DESTINATION ${LAL_CMAKE_DIR} COMPONENT ${m}-dev)
  set(LAL_MODULE_NAME ${m})
  string(REPLACE ";" ", " LAL_MODULE_PC_TEXT "${LAL_MODULE_${m}_PC}")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/lal-module.pc.in ${PROJECT_BINARY_DIR}/lal-${m}.pc
                 @ONLY)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/lal-module-static.pc.in
                 ${PROJECT_BINARY_DIR}/lal-${m}-static.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/lal-${m}.pc ${PROJECT_BINARY_DIR}/lal-${m}-static.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT ${m}-dev)
endforeach()

# lalConfig.cmake's lal_HAS_* variables are this build's LAL_HAVE_*.
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/lalConfig.cmake.in
  ${PROJECT_BINARY_DIR}/lalConfig.cmake INSTALL_DESTINATION ${LAL_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/lalConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/lalConfig.cmake ${PROJECT_BINARY_DIR}/lalConfigVersion.cmake
  DESTINATION ${LAL_CMAKE_DIR} COMPONENT dev)

# pkg-config: `pkg-config --cflags --libs lal` for the shared library;
# `--static` adds the OS libraries the static archive needs (and on Windows
# consumers of liblal.a must also define LAL_STATIC).
# Linux: the libraries found through pkg-config go in Requires.private (so
# `--static` also brings their own dependencies, e.g. hwloc's -ludev); the
# rest (Windows system libraries, libm, pthreads) in Libs.private.
string(REPLACE ";" ", " LAL_PC_REQUIRES_TEXT "${LAL_PC_REQUIRES}")
set(LAL_PC_LIBS_PRIVATE "")
foreach(lib ${LAL_OS_LIBS})
  if(WIN32)
    string(APPEND LAL_PC_LIBS_PRIVATE " -l${lib}")
  endif()
endforeach()
if(NOT WIN32)
  string(APPEND LAL_PC_LIBS_PRIVATE " -lpthread -lm")
endif()
set(LAL_PC_STATIC_ARCHIVE
    ${CMAKE_STATIC_LIBRARY_PREFIX}${LAL_STATIC_OUTPUT_NAME}${CMAKE_STATIC_LIBRARY_SUFFIX})
# Relocatable: the prefix is found from the .pc file's own location, so an
# installed tree can be moved or installed with `cmake --install --prefix`.
file(RELATIVE_PATH LAL_PC_PREFIX_FROM_PCDIR /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" LAL_PC_PREFIX_FROM_PCDIR "${LAL_PC_PREFIX_FROM_PCDIR}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/lal.pc.in ${PROJECT_BINARY_DIR}/lal.pc @ONLY)
# lal-static.pc (libuv's libuv-static.pc model): the archive by its path, so it
# wins over the shared library, LAL_STATIC for the header (no dllimport on
# Windows), and the OS libraries as public requirements.
configure_file(${PROJECT_SOURCE_DIR}/cmake/lal-static.pc.in ${PROJECT_BINARY_DIR}/lal-static.pc
               @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/lal.pc ${PROJECT_BINARY_DIR}/lal-static.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
