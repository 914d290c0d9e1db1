// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

struct archive;

struct evp_md_ctx_st;

namespace dscope::model {

/**
 * A stream of bytes to import: a file on disk or a member of an archive, read without extracting to disk.
 * Sources read it sequentially with bounded memory; head() lets the sniffer look at the start without
 * consuming it.
 */
class InputBytes
{
    Q_DISABLE_COPY_MOVE(InputBytes)
public:
    explicit InputBytes(std::string displayName)
        : m_name(std::move(displayName))
    {
    }
    virtual ~InputBytes() = default;

    /// "dir/file.evtx" or "dir/archive.zip!inner/file.json": used in every message about this input.
    const std::string& name() const { return m_name; }
    /// Total size when known, else -1.
    virtual int64_t size() const = 0;
    /// A real file on disk (for libraries that open by name), or nullptr for archive members.
    virtual const std::string* filePath() const { return nullptr; }
    /// All of the input in place, without a copy, when it is a regular file that can be mapped; else empty.
    /// Independent of read(): fingerprinting and the EVTX decoder share one mapping of a file this way.
    virtual std::span<const uint8_t> mapped() { return {}; }

    /// Reads up to max bytes; 0 at the end, -1 on error (see errorString()).
    int64_t read(char* buffer, int64_t max);
    /// The first n bytes (fewer if the input is shorter), without consuming them.
    std::string_view head(size_t n);
    /// Reads everything that is left into out. Fails (with error) past maxBytes.
    bool readAll(std::string& out, int64_t maxBytes, std::string& error);
    /// Bytes consumed so far (for progress and offsets in messages).
    int64_t consumed() const { return m_consumed; }

    const std::string& errorString() const { return m_error; }

protected:
    virtual int64_t readRaw(char* buffer, int64_t max) = 0;
    std::string m_error;

private:
    std::string m_name;
    std::string m_head;
    size_t m_headPos = 0;
    int64_t m_consumed = 0;
};

/// A read-only private mapping of a whole regular file (FileBytes::mapped() keeps one per input).
class MappedFile
{
    Q_DISABLE_COPY_MOVE(MappedFile)
public:
    MappedFile() = default;
    ~MappedFile();
    /// Maps the open descriptor fd (not taken over) of the file at path; false (error says why) when it cannot.
    bool map(int fd, const std::string& path, std::string& error);
    const uint8_t* data() const { return m_data; }
    size_t size() const { return m_size; }
    void unmap();

private:
    const uint8_t* m_data = nullptr;
    size_t m_size = 0;
};

/// A regular file, read with read(2) (page cache speed, no iostream copy), or mapped once (see mapped()).
class FileBytes : public InputBytes
{
public:
    FileBytes(const std::string& path, std::string displayName = {});
    ~FileBytes() override;
    bool isOpen() const { return m_fd >= 0; }
    /// A regular file (not a pipe, socket or device): it can be read again from the start.
    bool isRegular() const { return m_regular; }
    int64_t size() const override { return m_size; }
    const std::string* filePath() const override { return &m_path; }
    /// Maps the file on the first call and keeps the mapping until destruction. Empty for an empty file and for
    /// what cannot be mapped (pipes, devices): those are read.
    std::span<const uint8_t> mapped() override;
    /// Gives the mapping back (a later mapped() maps again): its pages count as the process's memory.
    void releaseMapping() { m_mapping.unmap(); m_mapAttempted = false; }

protected:
    int64_t readRaw(char* buffer, int64_t max) override;

private:
    std::string m_path;
    int m_fd = -1;
    int64_t m_size = -1;
    bool m_regular = false;
    bool m_mapAttempted = false;
    MappedFile m_mapping;
};

/// Bytes already in memory (tests, streams read whole, and archive members that a library needs whole).
class MemoryBytes : public InputBytes
{
public:
    MemoryBytes(std::string data, std::string displayName);
    int64_t size() const override { return int64_t(m_data.size()); }
    std::span<const uint8_t> mapped() override
    {
        return {reinterpret_cast<const uint8_t*>(m_data.data()), m_data.size()};
    }
    const std::string& data() const { return m_data; }

protected:
    int64_t readRaw(char* buffer, int64_t max) override;

private:
    std::string m_data;
    size_t m_pos = 0;
};

/// The current member of an open libarchive reader.
class ArchiveMemberBytes : public InputBytes
{
public:
    ArchiveMemberBytes(struct archive* reader, int64_t size, std::string displayName);
    int64_t size() const override { return m_size; }

protected:
    int64_t readRaw(char* buffer, int64_t max) override;

private:
    struct archive* m_reader;
    int64_t m_size;
};

/// The SHA-256 (lower-case hex) of the bytes in place, or else, when they are empty and `path` is given, of what
/// a descriptor of its own reads from that path (a regular file that could not be mapped). Empty on failure, with
/// `error` set.
std::string sha256Of(std::span<const uint8_t> bytes, const std::string* path, std::string& error);

/// A SHA-256 fed piece by piece (a live sender's bytes), with OpenSSL as sha256Of().
class Sha256Stream
{
public:
    Sha256Stream();
    ~Sha256Stream();
    Sha256Stream(const Sha256Stream&) = delete;
    Sha256Stream& operator=(const Sha256Stream&) = delete;
    void add(std::string_view bytes);
    /// Lower-case hex of everything added; empty if OpenSSL failed. Ends the digest.
    std::string finish();

private:
    evp_md_ctx_st* m_ctx; // OpenSSL's EVP_MD_CTX, not included here
};

} // namespace dscope::model
