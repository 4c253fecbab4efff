# SPDX-License-Identifier: MIT
# Start-up cost of the programs (docs/BENCHMARKS.md, "Start-up"). Every tool call of the agent
# starts agntctl, and a C++ program that links libstdc++ dynamically spends more CPU in the
# dynamic loader (relocating libstdc++'s symbols) than /bin/true needs in all. So, with
# AGNTOS_STATIC_RUNTIME (on by default), the programs link libstdc++ and libgcc statically when
# the compiler has the static libraries, SQLite statically when the distribution ships
# libsqlite3.a (agntos_sqlite), and toml++ is compiled into the two files that read TOML
# (header-only; src/common/CMakeLists.txt), since its shared library would bring libstdc++.so
# back. What stays dynamic: libc, libm, and what is loaded on first use (libgit2, libcurl).
# Tests and benchmarks keep the shared runtime (GoogleTest and Google Benchmark are shared
# C++ libraries).
option(AGNTOS_STATIC_RUNTIME "Link the C++ runtime, SQLite and toml++ into the programs" ON)

include(CheckLinkerFlag)
check_linker_flag(CXX "-static-libstdc++" AGNTOS_HAVE_STATIC_LIBSTDCXX)
if(AGNTOS_STATIC_RUNTIME AND AGNTOS_HAVE_STATIC_LIBSTDCXX)
  set(AGNTOS_USE_STATIC_RUNTIME ON)
else()
  set(AGNTOS_USE_STATIC_RUNTIME OFF)
endif()

# agntos_program(<target>): the link options of an installed program. --gc-sections drops the
# parts of the static libraries (libstdc++.a is built one section per function) that nothing
# calls: agntctl's code shrinks from 6.4 to 5.8 MB, and every start maps and faults in less.
function(agntos_program target)
  if(AGNTOS_USE_STATIC_RUNTIME)
    target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
  endif()
  target_link_options(${target} PRIVATE LINKER:--gc-sections)
endfunction()

# SQLite for every target: the static library when there is one, the shared one otherwise.
add_library(agntos_sqlite INTERFACE)
find_library(AGNTOS_SQLITE_STATIC NAMES libsqlite3.a)
if(AGNTOS_USE_STATIC_RUNTIME AND AGNTOS_SQLITE_STATIC)
  target_include_directories(agntos_sqlite INTERFACE ${SQLite3_INCLUDE_DIRS})
  target_link_libraries(agntos_sqlite INTERFACE ${AGNTOS_SQLITE_STATIC} Threads::Threads m ${CMAKE_DL_LIBS})
else()
  target_link_libraries(agntos_sqlite INTERFACE SQLite::SQLite3)
endif()
