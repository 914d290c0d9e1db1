# SPDX-License-Identifier: MIT
# Installation layout and the Debian package. `cmake --install BUILD --prefix P` installs the binary, the desktop entry,
# the case file type, icons and the man page; `cpack` (scripts/package.sh) makes a .deb whose dependencies
# dpkg-shlibdeps reads from the binary: the runtime packages of the libraries it links, nothing of the -dev ones.
install(TARGETS doppelscope RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME doppelscope)
set(CPACK_PACKAGE_VENDOR "Doppelscope")
set(CPACK_PACKAGE_CONTACT "Doppelscope maintainers <maintainers@doppelscope.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Investigation workbench for Process Doppelganging and remote-thread injection")
set(CPACK_PACKAGE_DESCRIPTION
    "Loads Windows event logs (EVTX, Sysmon XML and JSON exports) into a SQLite case file, runs the corrected\n\
T1055.013 detection rules and shows process trees, TxF timelines and decoded access masks with response\n\
checklists.")
set(CPACK_PACKAGE_FILE_NAME "doppelscope_${PROJECT_VERSION}_amd64")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE amd64)
# Qt's platform plugins (xcb, offscreen), loaded at run time where dpkg-shlibdeps cannot see them, come with
# libqt6gui6, which the binary links and shlibdeps lists anyway.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libevtx-utils")
include(CPack)
