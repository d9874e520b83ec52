# SPDX-License-Identifier: MIT
# Warnings and sanitizers for every lal target (library, tools, bench, tests).
add_library(lal_warnings INTERFACE)
if(MSVC)
  # cl.exe, and clang-cl (whose -Wall is -Weverything): MSVC's /W4, plus, with
  # clang-cl, the clang warnings the GNU builds also use.
  target_compile_options(lal_warnings INTERFACE /W4 $<$<BOOL:${LAL_WERROR}>:/WX>)
  if(CMAKE_C_COMPILER_ID STREQUAL "Clang")
    target_compile_options(lal_warnings INTERFACE -Wshadow -Wstrict-prototypes -Wformat=2 -Wundef)
  endif()
elseif(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(lal_warnings INTERFACE -Wall -Wextra -Wshadow -Wstrict-prototypes
                                                -Wformat=2 -Wundef)
  if(LAL_WERROR)
    target_compile_options(lal_warnings INTERFACE -Werror)
  endif()
endif()

if(LAL_SANITIZE)
  add_compile_options(-fsanitize=${LAL_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${LAL_SANITIZE})
endif()

if(LAL_FUZZ)
  # Coverage instrumentation for everything, so libFuzzer sees the library's
  # branches and not only the harness's; the harness links the runtime.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
