// SPDX-License-Identifier: MIT
#pragma once
// An SQLite VFS for tests that makes writes fail for real: it wraps the platform's VFS and, once armed, answers a
// chosen kind of write (to the write-ahead log, or to the case file itself, from the arming thread or from any
// other thread) with an I/O error or a full disk after a budget of bytes. Registered as the default VFS, so every
// connection the code under test opens goes through it.

#include <sqlite3.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>

namespace faultyvfs {

enum class Target { Wal, MainDb };
enum class Threads { Any, ArmingThread, OtherThreads };

struct Policy {
    std::atomic_bool armed{false};
    Target target = Target::Wal;
    Threads threads = Threads::Any;
    std::atomic<int64_t> budget{0}; ///< bytes that still succeed
    int error = SQLITE_FULL;
    std::thread::id armingThread;
    std::atomic<int64_t> failures{0};
};

inline Policy& policy()
{
    static Policy p;
    return p;
}

struct File {
    sqlite3_file base; // must be first: SQLite sees a File* as a sqlite3_file*
    sqlite3_file* real;
    Target kind;
};

inline sqlite3_vfs*& realVfs()
{
    static sqlite3_vfs* v = nullptr;
    return v;
}

inline sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

inline bool shouldFail(sqlite3_file* f, int amount)
{
    Policy& p = policy();
    if (!p.armed.load() || reinterpret_cast<File*>(f)->kind != p.target)
        return false;
    const bool onArming = std::this_thread::get_id() == p.armingThread;
    if ((p.threads == Threads::ArmingThread && !onArming) || (p.threads == Threads::OtherThreads && onArming))
        return false;
    if (p.budget.fetch_sub(amount) - amount >= 0)
        return false;
    p.failures.fetch_add(1);
    return true;
}

inline int xClose(sqlite3_file* f)
{
    File* file = reinterpret_cast<File*>(f);
    const int rc = file->real->pMethods ? file->real->pMethods->xClose(file->real) : SQLITE_OK;
    sqlite3_free(file->real);
    return rc;
}
inline int xRead(sqlite3_file* f, void* b, int n, sqlite3_int64 o) { return real(f)->pMethods->xRead(real(f), b, n, o); }
inline int xWrite(sqlite3_file* f, const void* b, int n, sqlite3_int64 o)
{
    if (shouldFail(f, n))
        return policy().error;
    return real(f)->pMethods->xWrite(real(f), b, n, o);
}
inline int xTruncate(sqlite3_file* f, sqlite3_int64 s) { return real(f)->pMethods->xTruncate(real(f), s); }
inline int xSync(sqlite3_file* f, int flags) { return real(f)->pMethods->xSync(real(f), flags); }
inline int xFileSize(sqlite3_file* f, sqlite3_int64* s) { return real(f)->pMethods->xFileSize(real(f), s); }
inline int xLock(sqlite3_file* f, int l) { return real(f)->pMethods->xLock(real(f), l); }
inline int xUnlock(sqlite3_file* f, int l) { return real(f)->pMethods->xUnlock(real(f), l); }
inline int xCheckReservedLock(sqlite3_file* f, int* r) { return real(f)->pMethods->xCheckReservedLock(real(f), r); }
inline int xFileControl(sqlite3_file* f, int op, void* a) { return real(f)->pMethods->xFileControl(real(f), op, a); }
inline int xSectorSize(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
inline int xDeviceCharacteristics(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
inline int xShmMap(sqlite3_file* f, int i, int sz, int e, void volatile** p)
{
    return real(f)->pMethods->xShmMap(real(f), i, sz, e, p);
}
inline int xShmLock(sqlite3_file* f, int o, int n, int fl) { return real(f)->pMethods->xShmLock(real(f), o, n, fl); }
inline void xShmBarrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
inline int xShmUnmap(sqlite3_file* f, int d) { return real(f)->pMethods->xShmUnmap(real(f), d); }
inline int xFetch(sqlite3_file* f, sqlite3_int64 o, int n, void** p) { return real(f)->pMethods->xFetch(real(f), o, n, p); }
inline int xUnfetch(sqlite3_file* f, sqlite3_int64 o, void* p) { return real(f)->pMethods->xUnfetch(real(f), o, p); }

inline const sqlite3_io_methods* ioMethods()
{
    static const sqlite3_io_methods m = {3, xClose, xRead, xWrite, xTruncate, xSync, xFileSize, xLock, xUnlock,
                                         xCheckReservedLock, xFileControl, xSectorSize, xDeviceCharacteristics,
                                         xShmMap, xShmLock, xShmBarrier, xShmUnmap, xFetch, xUnfetch};
    return &m;
}

inline int xOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* outFlags)
{
    File* file = reinterpret_cast<File*>(f);
    file->base.pMethods = nullptr;
    file->real = static_cast<sqlite3_file*>(sqlite3_malloc(realVfs()->szOsFile));
    if (!file->real)
        return SQLITE_NOMEM;
    std::memset(file->real, 0, size_t(realVfs()->szOsFile));
    const int rc = realVfs()->xOpen(realVfs(), name, file->real, flags, outFlags);
    if (rc != SQLITE_OK) {
        sqlite3_free(file->real);
        file->real = nullptr;
        return rc;
    }
    file->kind = (flags & SQLITE_OPEN_WAL) ? Target::Wal : Target::MainDb;
    if (!(flags & (SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_DB)))
        file->kind = Target(-1); // temporary files and journals are never failed
    file->base.pMethods = ioMethods();
    return SQLITE_OK;
}

/// Installs the wrapper as the default VFS (once per process).
inline void install()
{
    static sqlite3_vfs vfs;
    if (realVfs())
        return;
    sqlite3_initialize();
    realVfs() = sqlite3_vfs_find(nullptr);
    vfs = *realVfs();
    vfs.zName = "faulty";
    vfs.szOsFile = int(sizeof(File));
    vfs.xOpen = xOpen;
    sqlite3_vfs_register(&vfs, 1);
}

/// Fails writes of `target` (from `threads`, seen from the calling thread) once `budget` bytes have gone through.
inline void arm(Target target, Threads threads, int64_t budget, int error = SQLITE_FULL)
{
    Policy& p = policy();
    p.armed = false;
    p.target = target;
    p.threads = threads;
    p.budget = budget;
    p.error = error;
    p.armingThread = std::this_thread::get_id();
    p.failures = 0;
    p.armed = true;
}

inline void disarm() { policy().armed = false; }
inline int64_t failures() { return policy().failures.load(); }

} // namespace faultyvfs
