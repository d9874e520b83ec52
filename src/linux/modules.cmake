# SPDX-License-Identifier: MIT
# The Linux modules that need a library of their own are libraries of their
# own, so an application that links only lal pulls in none of theirs:
#   liblal-uring  lal/uring.h  liburing          lal::uring, lal::uring_static
#   liblal-xdp    lal/xdp.h    libxdp, libbpf    lal::xdp,   lal::xdp_static
# (lal/cgroup.h needs no library and stays in liblal.) A shared module links
# liblal.so and carries private copies of the few portable helpers it uses;
# the error state stays liblal's (lali_fail_native, module_support.c). A
# static module holds the module alone: liblal.a supplies the rest.
set(LAL_MODULES "")
set(lal_module_support common/strings.c common/struct_check.c linux/procfs.c linux/error.c
                       linux/module_support.c)

# lal_add_module(<name> LIBS <libs...> PC <pkg-config modules...> SOURCES <files...>)
function(lal_add_module name)
  cmake_parse_arguments(M "" "" "LIBS;PC;SOURCES;INCLUDES" ${ARGN})
  add_library(lal_${name}_objects OBJECT ${M_SOURCES})
  set_target_properties(lal_${name}_objects PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_include_directories(lal_${name}_objects
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/common ${CMAKE_CURRENT_SOURCE_DIR}/linux ${M_INCLUDES})
  target_compile_definitions(lal_${name}_objects PRIVATE LAL_BUILDING _GNU_SOURCE)
  target_link_libraries(lal_${name}_objects PRIVATE lal_warnings)

  add_library(lal_${name} SHARED $<TARGET_OBJECTS:lal_${name}_objects> ${lal_module_support})
  target_include_directories(lal_${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/common
                                                 ${CMAKE_CURRENT_SOURCE_DIR}/linux)
  target_compile_definitions(lal_${name} PRIVATE LAL_BUILDING _GNU_SOURCE)
  target_link_libraries(lal_${name} PUBLIC lal PRIVATE ${M_LIBS} lal_warnings)
  if(NOT LAL_SANITIZE) # a sanitizer's runtime comes with the program, not the library
    target_link_options(lal_${name} PRIVATE -Wl,--no-undefined)
  endif()
  set(map ${CMAKE_CURRENT_SOURCE_DIR}/linux/liblal-${name}.map)
  target_link_options(lal_${name} PRIVATE -Wl,--version-script=${map})
  set_target_properties(lal_${name} PROPERTIES LINK_DEPENDS ${map})
  set_target_properties(lal_${name} PROPERTIES OUTPUT_NAME lal-${name} EXPORT_NAME ${name}
                        VERSION ${PROJECT_VERSION} SOVERSION ${LAL_SOVERSION})

  add_library(lal_${name}_static STATIC $<TARGET_OBJECTS:lal_${name}_objects>)
  target_link_libraries(lal_${name}_static INTERFACE lal_static ${M_LIBS})
  set_target_properties(lal_${name}_static PROPERTIES OUTPUT_NAME lal-${name}
                        EXPORT_NAME ${name}_static)
  foreach(t lal_${name} lal_${name}_static)
    target_include_directories(${t} INTERFACE $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                                              $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  endforeach()
  add_library(lal::${name} ALIAS lal_${name})
  add_library(lal::${name}_static ALIAS lal_${name}_static)
  # For cmake/LalInstall.cmake: the module's pkg-config Requires.private.
  set(LAL_MODULE_${name}_PC "${M_PC}" PARENT_SCOPE)
  set(LAL_MODULES ${LAL_MODULES} ${name} PARENT_SCOPE)
endfunction()

if(LAL_HAVE_URING)
  lal_add_module(uring LIBS uring PC liburing SOURCES linux/uring.c
                 INCLUDES ${URING_INCLUDE_DIRS})
endif()

# XDP: the BPF program is compiled with clang -target bpf at build time and
# embedded in the library as bytes (cmake/LalEmbed.cmake).
if(LAL_HAVE_XDP)
  # <asm/types.h> lives in the multiarch include directory (Debian:
  # /usr/include/x86_64-linux-gnu); clang's own triplet differs from it.
  set(lal_triplet ${CMAKE_LIBRARY_ARCHITECTURE})
  if(NOT lal_triplet)
    execute_process(COMMAND gcc -dumpmachine OUTPUT_VARIABLE lal_triplet
                    OUTPUT_STRIP_TRAILING_WHITESPACE)
  endif()
  set(bpf_src ${CMAKE_CURRENT_SOURCE_DIR}/linux/bpf/lal_xdp_udp.bpf.c)
  set(bpf_obj ${CMAKE_CURRENT_BINARY_DIR}/lal_xdp_udp.bpf.o)
  set(bpf_c ${CMAKE_CURRENT_BINARY_DIR}/xdp_prog_embed.c)
  add_custom_command(OUTPUT ${bpf_obj}
    COMMAND ${LAL_CLANG} -O2 -g -target bpf -I/usr/include/${lal_triplet} -Wall -Werror
            -c ${bpf_src} -o ${bpf_obj}
    DEPENDS ${bpf_src} COMMENT "BPF object lal_xdp_udp.bpf.o")
  add_custom_command(OUTPUT ${bpf_c}
    COMMAND ${CMAKE_COMMAND} -DIN=${bpf_obj} -DOUT=${bpf_c} -DNAME=lali_xdp_prog_obj
            -P ${PROJECT_SOURCE_DIR}/cmake/LalEmbed.cmake
    DEPENDS ${bpf_obj} ${PROJECT_SOURCE_DIR}/cmake/LalEmbed.cmake)
  lal_add_module(xdp LIBS xdp bpf PC libxdp libbpf SOURCES linux/xdp.c ${bpf_c}
                 INCLUDES ${XDP_INCLUDE_DIRS} ${BPF_INCLUDE_DIRS})
endif()
set(LAL_MODULES ${LAL_MODULES} PARENT_SCOPE)
foreach(m ${LAL_MODULES})
  set(LAL_MODULE_${m}_PC "${LAL_MODULE_${m}_PC}" PARENT_SCOPE)
endforeach()
