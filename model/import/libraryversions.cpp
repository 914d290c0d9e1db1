// SPDX-License-Identifier: MIT
#include "libraryversions.h"

#include <QtCore/qglobal.h>

#include <archive.h>
#include <libdeflate.h>
#include <libevtx.h>
#include <lz4.h>
#include <openssl/crypto.h>
#include <pugixml.hpp>
#include <simdjson.h>
#include <sqlite3.h>
#include <zstd.h>

namespace dscope::model {

std::vector<std::pair<std::string, std::string>> libraryVersions()
{
    return {
        {"Qt", qVersion()},
        {"SQLite", sqlite3_libversion()},
        {"libevtx", libevtx_get_version()},
        {"libarchive", std::to_string(archive_version_number() / 1000000) + "." + std::to_string(archive_version_number() / 1000 % 1000)
                           + "." + std::to_string(archive_version_number() % 1000)},
        {"zstd", ZSTD_versionString()},
        {"LZ4", LZ4_versionString()},
        {"libdeflate", LIBDEFLATE_VERSION_STRING},
        {"OpenSSL", OpenSSL_version(OPENSSL_VERSION_STRING)},
        {"simdjson", std::to_string(simdjson::SIMDJSON_VERSION_MAJOR) + "." + std::to_string(simdjson::SIMDJSON_VERSION_MINOR)
                         + "." + std::to_string(simdjson::SIMDJSON_VERSION_REVISION)},
        {"pugixml", std::to_string(PUGIXML_VERSION / 1000) + "." + std::to_string(PUGIXML_VERSION % 1000 / 10)},
    };
}

} // namespace dscope::model
