// SPDX-License-Identifier: MIT
// The event-XML and libevtx sources alone (no case file): events/s, MB/s, CPU time and peak RSS, so that the
// cost of parsing and normalization can be told apart from the writer's. Peak RSS must not grow with the size
// of an XML input: the source keeps one read chunk and one event.
//
//   bench_xmlsource FILE...        (.evtx files go through libevtx, anything else through the XML source)
#include "ingest/eventsource.h"
#include "ingest/inputbytes.h"
#include "ingest/libevtxsource.h"
#include "ingest/xmlsource.h"

#include <QElapsedTimer>

#include <sys/resource.h>

#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>

using namespace dscope::model;

namespace {

class CountingSink : public RecordSink
{
public:
    void add(Event&& event) override
    {
        ++events;
        rawBytes += int64_t(event.raw.size());
        // Order-independent checksum of the raw text: two builds must render the same events.
        uint64_t h = 1469598103934665603ull;
        for (const char c : event.raw)
            h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        checksum += h;
    }
    void skip(int64_t, std::string) override { ++skipped; }
    bool cancelled() const override { return false; }

    int64_t events = 0;
    int64_t skipped = 0;
    int64_t rawBytes = 0;
    uint64_t checksum = 0;
};

double cpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

bool endsWith(const std::string& s, const char* suffix)
{
    const std::string x(suffix);
    return s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_xmlsource FILE...\n");
        return 2;
    }
    CountingSink sink;
    int64_t bytes = 0;
    int failed = 0;
    QElapsedTimer wall;
    wall.start();
    const double cpu0 = cpuSeconds();
    for (int i = 1; i < argc; ++i) {
        const std::string path = argv[i];
        FileBytes input(path);
        if (!input.isOpen()) {
            std::fprintf(stderr, "%s: %s\n", path.c_str(), input.errorString().c_str());
            ++failed;
            continue;
        }
        bytes += input.size();
        std::string error;
        bool ok;
        if (endsWith(path, ".evtx")) {
            LibevtxSource source;
            ok = source.read(input, sink, error);
        } else {
            XmlSource source;
            ok = source.read(input, sink, error);
        }
        if (!ok) {
            std::fprintf(stderr, "%s: %s\n", path.c_str(), error.c_str());
            ++failed;
        }
    }
    const double seconds = double(wall.nsecsElapsed()) / 1e9;
    const double cpu = cpuSeconds() - cpu0;
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("%d inputs (%d failed), %.1f MiB: %lld events, %lld skipped, raw %.1f MiB, checksum %016llx\n",
                argc - 1, failed, double(bytes) / 1048576.0, static_cast<long long>(sink.events),
                static_cast<long long>(sink.skipped), double(sink.rawBytes) / 1048576.0,
                static_cast<unsigned long long>(sink.checksum));
    std::printf("wall %.3f s, cpu %.3f s: %.0f events/s of cpu, %.1f MB/s of cpu; peak RSS %ld KiB\n", seconds, cpu,
                double(sink.events) / cpu, double(bytes) / 1e6 / cpu, ru.ru_maxrss);
    return failed ? 1 : 0;
}
