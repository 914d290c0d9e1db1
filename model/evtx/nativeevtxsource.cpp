// SPDX-License-Identifier: MIT
#include "nativeevtxsource.h"

#include "evtxfiledecoder.h"
#include "ingest/inputbytes.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dscope::model {

namespace {

constexpr int64_t kMaxInMemoryBytes = int64_t(4) << 30; // archive members are read whole

/// A read-only private mapping of a whole file.
class MappedFile
{
public:
    bool open(const std::string& path, std::string& error)
    {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            error = "cannot open " + path + ": " + std::strerror(errno);
            return false;
        }
        struct stat st {};
        if (::fstat(fd, &st) != 0) {
            error = "cannot stat " + path + ": " + std::strerror(errno);
            ::close(fd);
            return false;
        }
        m_size = size_t(st.st_size);
        if (m_size > 0) {
            void* p = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (p == MAP_FAILED) {
                error = "cannot map " + path + ": " + std::strerror(errno);
                ::close(fd);
                return false;
            }
            ::madvise(p, m_size, MADV_WILLNEED);
            m_data = static_cast<const uint8_t*>(p);
        }
        ::close(fd);
        return true;
    }
    ~MappedFile()
    {
        if (m_data)
            ::munmap(const_cast<uint8_t*>(m_data), m_size);
    }
    const uint8_t* data() const { return m_data; }
    size_t size() const { return m_size; }

private:
    const uint8_t* m_data = nullptr;
    size_t m_size = 0;
};

} // namespace

bool NativeEvtxSource::read(InputBytes& input, RecordSink& sink, std::string& error)
{
    evtx::EvtxDecodeOptions options;
    options.recover = m_recover;
    options.raw = m_raw;
    options.threads = m_threads;
    bool ok;
    if (const std::string* path = input.filePath()) {
        MappedFile file;
        if (!file.open(*path, error))
            return false;
        ok = evtx::decodeEvtxImage(file.data(), file.size(), sink, options, m_layout, error);
    } else {
        std::string bytes;
        if (!input.readAll(bytes, kMaxInMemoryBytes, error))
            return false;
        ok = evtx::decodeEvtxImage(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), sink, options,
                                   m_layout, error);
    }
    if (!ok)
        error = input.name() + ": " + error;
    return ok;
}

} // namespace dscope::model
