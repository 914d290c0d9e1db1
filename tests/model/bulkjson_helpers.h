// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTest>

/// A JSON-lines file of n Sysmon 10 events (big enough that an import takes a while, or fills a small disk).
inline void writeBigJsonLines(const QString& path, int n)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QByteArray line;
    for (int i = 0; i < n; ++i) {
        line = QByteArrayLiteral("{\"EventID\":10,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
                                 "\"Hostname\":\"BULK\",\"RecordNumber\":")
               + QByteArray::number(i)
               + QByteArrayLiteral(",\"UtcTime\":\"2020-01-01 00:00:00.000\",\"SourceProcessGUID\":"
                                   "\"{11111111-2222-3333-4444-555555555555}\",\"SourceProcessId\":\"")
               + QByteArray::number(i % 9000) + QByteArrayLiteral("\",\"GrantedAccess\":\"0x1410\"}\n");
        f.write(line);
    }
}
