# SPDX-License-Identifier: MIT
# FindCMocka: the CMocka unit-test library.
#   CMocka_FOUND, CMOCKA_INCLUDE_DIR, CMOCKA_LIBRARY, imported target CMocka::CMocka.
# CMocka's own generated config names lib/cmocka.dll.a for mingw, which does not
# exist, so this finds the header and library directly. With LAL_CMOCKA_STATIC it
# prefers the static library (Windows tests link -static: no DLL path under Wine).
find_path(CMOCKA_INCLUDE_DIR NAMES cmocka.h)
if(LAL_CMOCKA_STATIC)
  find_library(CMOCKA_LIBRARY NAMES cmocka-static cmocka)
else()
  find_library(CMOCKA_LIBRARY NAMES cmocka cmocka-static)
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(CMocka REQUIRED_VARS CMOCKA_LIBRARY CMOCKA_INCLUDE_DIR)

if(CMocka_FOUND AND NOT TARGET CMocka::CMocka)
  add_library(CMocka::CMocka UNKNOWN IMPORTED)
  set_target_properties(CMocka::CMocka PROPERTIES IMPORTED_LOCATION ${CMOCKA_LIBRARY}
                                                  INTERFACE_INCLUDE_DIRECTORIES ${CMOCKA_INCLUDE_DIR})
endif()
mark_as_advanced(CMOCKA_INCLUDE_DIR CMOCKA_LIBRARY)
