# SPDX-License-Identifier: MIT
# Every external package the build asks for, in one place: the top-level CMakeLists.txt finds them REQUIRED, and
# scripts/depcheck finds them one by one after the install step, naming each one CMake cannot find and the
# Debian 12 package that should provide it. A package found only because a machine had it from elsewhere
# (Qt6Charts needs Qt6OpenGL's development files, which --no-install-recommends does not bring) shows up there.

# Qt components, each with the Debian package that provides its CMake files.
set(DSCOPE_QT_COMPONENTS
    "Core:qt6-base-dev" "Gui:qt6-base-dev" "Widgets:qt6-base-dev" "Concurrent:qt6-base-dev"
    "Test:qt6-base-dev" "OpenGL:libqt6opengl6-dev" "Charts:qt6-charts-dev" "Network:qt6-base-dev"
    "WebSockets:qt6-websockets-dev" "HttpServer:qt6-httpserver-dev")
# Other CMake packages: name, then Debian package.
set(DSCOPE_CMAKE_PACKAGES "SQLite3:libsqlite3-dev" "simdjson:libsimdjson-dev" "pugixml:libpugixml-dev"
    "Threads:libc6-dev")
# pkg-config modules: prefix, module, Debian package.
# libevtx.h includes libbfio.h, whose pkg-config file libevtx's does not name; input fingerprints use
# libcrypto's SHA-256 (CPU SHA extensions); EVTX checksums use libdeflate's CRC-32 (carry-less multiplication).
set(DSCOPE_PKGCONFIG_MODULES "LIBEVTX:libevtx:libevtx-dev" "LIBBFIO:libbfio:libbfio-dev"
    "LIBARCHIVE:libarchive:libarchive-dev" "ZSTD:libzstd:libzstd-dev" "LZ4:liblz4:liblz4-dev"
    "LIBCRYPTO:libcrypto:libssl-dev" "LIBDEFLATE:libdeflate:libdeflate-dev")

# Finds everything REQUIRED (the build).
macro(dscope_find_dependencies)
  set(_dscope_qt "")
  foreach(entry ${DSCOPE_QT_COMPONENTS})
    string(REPLACE ":" ";" pair "${entry}")
    list(GET pair 0 comp)
    list(APPEND _dscope_qt ${comp})
  endforeach()
  find_package(Qt6 6.4 REQUIRED COMPONENTS ${_dscope_qt})
  foreach(entry ${DSCOPE_CMAKE_PACKAGES})
    string(REPLACE ":" ";" pair "${entry}")
    list(GET pair 0 pkg)
    find_package(${pkg} REQUIRED)
  endforeach()
  find_package(PkgConfig REQUIRED)
  foreach(entry ${DSCOPE_PKGCONFIG_MODULES})
    string(REPLACE ":" ";" triple "${entry}")
    list(GET triple 0 prefix)
    list(GET triple 1 module)
    pkg_check_modules(${prefix} REQUIRED IMPORTED_TARGET ${module})
  endforeach()
  # Optional process allocator for the doppelscope binary and the benchmarks (see app/CMakeLists.txt).
  find_package(mimalloc 2.0 QUIET)
endmacro()

# Finds each package on its own, without stopping at the first, and fails naming every one that is missing.
function(dscope_probe_dependencies)
  set(missing "")
  foreach(entry ${DSCOPE_QT_COMPONENTS})
    string(REPLACE ":" ";" pair "${entry}")
    list(GET pair 0 comp)
    list(GET pair 1 deb)
    find_package(Qt6${comp} 6.4 QUIET)
    if(NOT Qt6${comp}_FOUND)
      set(why "${Qt6${comp}_NOT_FOUND_MESSAGE}")
      string(REGEX REPLACE "[ \t\r\n]+" " " why "${why}")
      string(REGEX REPLACE " Configuring with .*" "" why "${why}")
      if(why STREQUAL "")
        set(why "no Qt6${comp}Config.cmake is installed")
      endif()
      list(APPEND missing "Qt6${comp} (Debian package ${deb}): ${why}")
    endif()
  endforeach()
  foreach(entry ${DSCOPE_CMAKE_PACKAGES})
    string(REPLACE ":" ";" pair "${entry}")
    list(GET pair 0 pkg)
    list(GET pair 1 deb)
    find_package(${pkg} QUIET)
    if(NOT ${pkg}_FOUND)
      list(APPEND missing "${pkg} (Debian package ${deb})")
    endif()
  endforeach()
  find_package(PkgConfig QUIET)
  if(NOT PkgConfig_FOUND)
    list(APPEND missing "pkg-config (Debian package pkg-config)")
  else()
    foreach(entry ${DSCOPE_PKGCONFIG_MODULES})
      string(REPLACE ":" ";" triple "${entry}")
      list(GET triple 0 prefix)
      list(GET triple 1 module)
      list(GET triple 2 deb)
      pkg_check_modules(${prefix} QUIET ${module})
      if(NOT ${prefix}_FOUND)
        list(APPEND missing "pkg-config module ${module} (Debian package ${deb})")
      endif()
    endforeach()
  endif()
  if(missing)
    list(LENGTH missing n)
    string(REPLACE ";" "\n  " text "${missing}")
    message(FATAL_ERROR "${n} package(s) the build needs cannot be found:\n  ${text}")
  endif()
  message(STATUS "every package the build needs was found")
endfunction()
