# SPDX-License-Identifier: MIT
# agntos_runtime_library(<target> <source> <prefix> <imported target> [<library file>]): <source>
# of <target> dlopens the library instead of the target linking it (src/common/shared_library.h).
# The library file defaults to the imported target's LOCATION.
# The target gets the imported target's include directories and compile options only; <source>
# gets <prefix>_DIR (the directory of the build's library) and <prefix>_SONAME (read from the
# library with objdump; the file name when objdump is absent).
function(agntos_runtime_library target source prefix imported)
  set(library "${ARGN}")
  if(NOT library)
    get_target_property(library ${imported} LOCATION)
  endif()
  file(REAL_PATH "${library}" real)
  get_filename_component(directory "${real}" DIRECTORY)
  get_filename_component(soname "${real}" NAME)
  find_program(AGNTOS_OBJDUMP NAMES objdump)
  if(AGNTOS_OBJDUMP)
    execute_process(COMMAND ${AGNTOS_OBJDUMP} -p "${real}" OUTPUT_VARIABLE headers ERROR_QUIET)
    if(headers MATCHES "SONAME +([^ \n]+)")
      set(soname "${CMAKE_MATCH_1}")
    endif()
  endif()
  target_include_directories(${target} PRIVATE $<TARGET_PROPERTY:${imported},INTERFACE_INCLUDE_DIRECTORIES>)
  target_compile_options(${target} PRIVATE $<TARGET_PROPERTY:${imported},INTERFACE_COMPILE_OPTIONS>)
  set_property(SOURCE ${source} TARGET_DIRECTORY ${target} APPEND PROPERTY COMPILE_DEFINITIONS
               ${prefix}_DIR="${directory}" ${prefix}_SONAME="${soname}")
  target_link_libraries(${target} PRIVATE ${CMAKE_DL_LIBS})
endfunction()
