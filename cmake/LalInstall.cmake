# SPDX-License-Identifier: MIT
# Install rules: headers, both libraries, the CMake package (lal::lal,
# lal::lal_static) and a pkg-config file.
set(LAL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/lal)

install(TARGETS lal lal_static EXPORT lalTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(EXPORT lalTargets NAMESPACE lal:: DESTINATION ${LAL_CMAKE_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/lalConfig.cmake.in
  ${PROJECT_BINARY_DIR}/lalConfig.cmake INSTALL_DESTINATION ${LAL_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/lalConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/lalConfig.cmake ${PROJECT_BINARY_DIR}/lalConfigVersion.cmake
  DESTINATION ${LAL_CMAKE_DIR})

# pkg-config: `pkg-config --cflags --libs lal` for the shared library;
# `--static` adds the OS libraries the static archive needs (and on Windows
# consumers of liblal.a must also define LAL_STATIC).
set(LAL_PC_LIBS_PRIVATE "")
foreach(lib ${LAL_OS_LIBS})
  string(APPEND LAL_PC_LIBS_PRIVATE " -l${lib}")
endforeach()
# Relocatable: the prefix is found from the .pc file's own location, so an
# installed tree can be moved or installed with `cmake --install --prefix`.
file(RELATIVE_PATH LAL_PC_PREFIX_FROM_PCDIR /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" LAL_PC_PREFIX_FROM_PCDIR "${LAL_PC_PREFIX_FROM_PCDIR}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/lal.pc.in ${PROJECT_BINARY_DIR}/lal.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/lal.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
