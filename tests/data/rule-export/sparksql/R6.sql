-- Doppelscope rule R6: TxF transaction near process creation
-- Rule set version 4; technique T1055.013; severity high; exported as sparksql over raw field names.
-- Description: Security 4985 (transaction state change) from a process that is not an installer, followed within
--     60 s by a process it creates (Sysmon 1 or 4688), or joined through the TransactionId to a 4656 opening an
--     executable file inside the transaction. Installers and servicing processes (pinned to their folders) are
--     left out, and so are IIS's processes, which write their configuration under a transaction, unless a
--     process is then created from a file opened inside the transaction.
-- Blind spot: Needs 'Audit File System' (or the privilege-use subcategories) for 4985 and a file SACL for 4656;
--     without them transactions are invisible.
-- Blind spot: The meaning of the NewState values is not documented.
-- False positives: Installers and servicing use TxF.
-- False positives: Installers named setup.exe or dismhost.exe are left out wherever they run: a Doppelgänging
--     loader under one of those names is missed.
-- In the workbench only: Severity: medium for the state change alone, high with a child process or a transacted
--     open of an executable file, critical with both; the alerts are the same.
-- Run over a view sysmon_events (spark.read.json of the events, e.g. doppelscope export-events) with
-- spark.sql.session.timeZone=UTC and spark.sql.caseSensitive=true (Sysmon 8 spells SourceProcessGuid and
-- Sysmon 10 SourceProcessGUID: without it the JSON reader refuses the second). One row per alert: rule,
-- host, source_guid, target_guid, first_utc,
-- last_utc, count. GUIDs are compared in lower case without braces; masks and addresses are hex text of
-- any width.
-- Columns read: Channel, Computer, EventID, Image, NewProcessId, NewProcessName, ObjectName, ParentImage, ParentProcessGuid, ParentProcessId, ParentProcessName, ProcessGuid, ProcessId, ProcessName, TransactionId, UtcTime
WITH child AS (
  SELECT lower(CAST(`Computer` AS STRING)) AS host_key, CAST(`Computer` AS STRING) AS host,
    lower(CAST(`Image` AS STRING)) AS subject_image,
    unix_millis(CAST(`UtcTime` AS TIMESTAMP)) AS ts,
    coalesce(lower(regexp_replace(CAST(`ProcessGuid` AS STRING), '[{}]', '')), '') AS subject_guid,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS target_guid,
    coalesce(lower(regexp_replace(CAST(`ParentProcessGuid` AS STRING), '[{}]', '')), '') AS parent_guid,
    '' AS creator_parent_guid,
    false AS is_helper,
    CAST(CASE WHEN lower(trim(CAST(`ProcessId` AS STRING))) LIKE '0x%' THEN conv(substr(trim(CAST(`ProcessId` AS STRING)), 3), 16, 10) ELSE trim(CAST(`ProcessId` AS STRING)) END AS BIGINT) AS subject_pid, CAST(CASE WHEN lower(trim(CAST(`ParentProcessId` AS STRING))) LIKE '0x%' THEN conv(substr(trim(CAST(`ParentProcessId` AS STRING)), 3), 16, 10) ELSE trim(CAST(`ParentProcessId` AS STRING)) END AS BIGINT) AS parent_pid,
    lower(CAST(`ParentImage` AS STRING)) AS parent_image, lower(trim(CAST(NULL AS STRING))) AS transaction_id,
    regexp_replace(regexp_replace(regexp_replace(replace(lower(CAST(`Image` AS STRING)), '/', '\\'), '^(\\\\\\?\\\\|\\\\\\?\\?\\\\)', ''), '^[a-z]:', ''), '^\\\\systemroot\\\\', '\\\\windows\\\\') AS image_canon,
    regexp_replace(regexp_replace(regexp_replace(replace(lower(CAST(NULL AS STRING)), '/', '\\'), '^(\\\\\\?\\\\|\\\\\\?\\?\\\\)', ''), '^[a-z]:', ''), '^\\\\systemroot\\\\', '\\\\windows\\\\') AS file_canon,
    false AS is_excused,
    monotonically_increasing_id() AS row_id
  FROM sysmon_events
  WHERE CAST(`EventID` AS INT) = 1
    AND lower(CAST(`Channel` AS STRING)) LIKE '%sysmon%'
),
childSecurity AS (
  SELECT lower(CAST(`Computer` AS STRING)) AS host_key, CAST(`Computer` AS STRING) AS host,
    lower(CAST(`NewProcessName` AS STRING)) AS subject_image,
    unix_millis(CAST(`UtcTime` AS TIMESTAMP)) AS ts,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS subject_guid,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS target_guid,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS parent_guid,
    '' AS creator_parent_guid,
    false AS is_helper,
    CAST(CASE WHEN lower(trim(CAST(`NewProcessId` AS STRING))) LIKE '0x%' THEN conv(substr(trim(CAST(`NewProcessId` AS STRING)), 3), 16, 10) ELSE trim(CAST(`NewProcessId` AS STRING)) END AS BIGINT) AS subject_pid, CAST(CASE WHEN lower(trim(CAST(`ProcessId` AS STRING))) LIKE '0x%' THEN conv(substr(trim(CAST(`ProcessId` AS STRING)), 3), 16, 10) ELSE trim(CAST(`ProcessId` AS STRING)) END AS BIGINT) AS parent_pid,
    lower(CAST(`ParentProcessName` AS STRING)) AS parent_image, lower(trim(CAST(NULL AS STRING))) AS transaction_id,
    regexp_replace(regexp_replace(regexp_replace(replace(lower(CAST(`NewProcessName` AS STRING)), '/', '\\'), '^(\\\\\\?\\\\|\\\\\\?\\?\\\\)', ''), '^[a-z]:', ''), '^\\\\systemroot\\\\', '\\\\windows\\\\') AS image_canon,
    regexp_replace(regexp_replace(regexp_replace(replace(lower(CAST(NULL AS STRING)), '/', '\\'), '^(\\\\\\?\\\\|\\\\\\?\\?\\\\)', ''), '^[a-z]:', ''), '^\\\\systemroot\\\\', '\\\\windows\\\\') AS file_canon,
    false AS is_excused,
    monotonically_increasing_id() AS row_id
  FROM sysmon_events
  WHERE CAST(`EventID` AS INT) = 4688
    AND lower(CAST(`Channel` AS STRING)) = 'security'
),
stateChange AS (
  SELECT lower(CAST(`Computer` AS STRING)) AS host_key, CAST(`Computer` AS STRING) AS host,
    lower(CAST(`ProcessName` AS STRING)) AS subject_image,
    unix_millis(CAST(`UtcTime` AS TIMESTAMP)) AS ts,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS subject_guid,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS target_guid,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS parent_guid,
    '' AS creator_parent_guid,
    false AS is_helper,
    CAST(CASE WHEN lower(trim(CAST(`ProcessId` AS STRING))) LIKE '0x%' THEN conv(substr(trim(CAST(`ProcessId` AS STRING)), 3), 16, 10) ELSE trim(CAST(`ProcessId` AS STRING)) END AS BIGINT) AS subject_pid, CAST(CASE WHEN lower(trim(CAST(NULL AS STRING))) LIKE '0x%' THEN conv(substr(trim(CAST(NULL AS STRING)), 3), 16, 10) ELSE trim(CAST(NULL AS STRING)) END AS BIGINT) AS parent_pid,
    lower(CAST(NULL AS STRING)) AS parent_image, lower(trim(CAST(`TransactionId` AS STRING))) AS transaction_id,
    regexp_replace(regexp_replace(regexp_replace(replace(lower(CAST(`ProcessName` AS STRING)), '/', '\\'), '^(\\\\\\?\\\\|\\\\\\?\\?\\\\)', ''), '^[a-z]:', ''), '^\\\\systemroot\\\\', '\\\\windows\\\\') AS image_canon,
    regexp_replace(regexp_replace(regexp_replace(replace(lower(CAST(NULL AS STRING)), '/', '\\'), '^(\\\\\\?\\\\|\\\\\\?\\?\\\\)', ''), '^[a-z]:', ''), '^\\\\systemroot\\\\', '\\\\windows\\\\') AS file_canon,
    coalesce((lower(CAST(`ProcessName` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\inetsrv\\\\inetinfo\\.exe$' OR lower(CAST(`ProcessName` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\inetsrv\\\\w3wp\\.exe$' OR lower(CAST(`ProcessName` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\syswow64\\\\inetsrv\\\\w3wp\\.exe$'), false) AS is_excused,
    monotonically_increasing_id() AS row_id
  FROM sysmon_events
  WHERE CAST(`EventID` AS INT) = 4985
    AND lower(CAST(`Channel` AS STRING)) = 'security'
    AND NOT coalesce((lower(CAST(`ProcessName` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\msiexec\\.exe$' OR lower(CAST(`ProcessName` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\syswow64\\\\msiexec\\.exe$' OR lower(CAST(`ProcessName` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\servicing\\\\trustedinstaller\\.exe$' OR lower(CAST(`ProcessName` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\winsxs\\\\[^\\\\]+\\\\tiworker\\.exe$' OR lower(CAST(`ProcessName` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\svchost\\.exe$' OR lower(CAST(`ProcessName` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\wuauclt\\.exe$' OR lower(CAST(`ProcessName` AS STRING)) RLIKE '^([a-z]:)?\\\\windows\\\\system32\\\\musnotification\\.exe$' OR lower(CAST(`ProcessName` AS STRING)) RLIKE '.*\\\\setup\\.exe$' OR lower(CAST(`ProcessName` AS STRING)) RLIKE '.*\\\\dismhost\\.exe$'), false)
),
transactedOpen AS (
  SELECT lower(CAST(`Computer` AS STRING)) AS host_key, CAST(`Computer` AS STRING) AS host,
    lower(CAST(`ProcessName` AS STRING)) AS subject_image,
    unix_millis(CAST(`UtcTime` AS TIMESTAMP)) AS ts,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS subject_guid,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS target_guid,
    coalesce(lower(regexp_replace(CAST(NULL AS STRING), '[{}]', '')), '') AS parent_guid,
    '' AS creator_parent_guid,
    false AS is_helper,
    CAST(CASE WHEN lower(trim(CAST(`ProcessId` AS STRING))) LIKE '0x%' THEN conv(substr(trim(CAST(`ProcessId` AS STRING)), 3), 16, 10) ELSE trim(CAST(`ProcessId` AS STRING)) END AS BIGINT) AS subject_pid, CAST(CASE WHEN lower(trim(CAST(NULL AS STRING))) LIKE '0x%' THEN conv(substr(trim(CAST(NULL AS STRING)), 3), 16, 10) ELSE trim(CAST(NULL AS STRING)) END AS BIGINT) AS parent_pid,
    lower(CAST(NULL AS STRING)) AS parent_image, lower(trim(CAST(`TransactionId` AS STRING))) AS transaction_id,
    regexp_replace(regexp_replace(regexp_replace(replace(lower(CAST(`ProcessName` AS STRING)), '/', '\\'), '^(\\\\\\?\\\\|\\\\\\?\\?\\\\)', ''), '^[a-z]:', ''), '^\\\\systemroot\\\\', '\\\\windows\\\\') AS image_canon,
    regexp_replace(regexp_replace(regexp_replace(replace(lower(CAST(`ObjectName` AS STRING)), '/', '\\'), '^(\\\\\\?\\\\|\\\\\\?\\?\\\\)', ''), '^[a-z]:', ''), '^\\\\systemroot\\\\', '\\\\windows\\\\') AS file_canon,
    false AS is_excused,
    monotonically_increasing_id() AS row_id
  FROM sysmon_events
  WHERE CAST(`EventID` AS INT) = 4656
    AND lower(CAST(`Channel` AS STRING)) = 'security'
    AND coalesce((CAST(`TransactionId` AS STRING) IS NOT NULL AND CAST(`TransactionId` AS STRING) <> ''), false)
    AND NOT coalesce((lower(CAST(`TransactionId` AS STRING)) = '00000000-0000-0000-0000-000000000000'), false)
    AND coalesce((endswith(lower(CAST(`ObjectName` AS STRING)), '.exe') OR endswith(lower(CAST(`ObjectName` AS STRING)), '.dll') OR endswith(lower(CAST(`ObjectName` AS STRING)), '.tmp') OR endswith(lower(CAST(`ObjectName` AS STRING)), '.scr') OR endswith(lower(CAST(`ObjectName` AS STRING)), '.sys')), false)
),
candidates AS (
  SELECT e.row_id AS event_row, c.subject_guid AS child_guid, c.subject_pid AS child_pid,
    c.subject_image AS child_image, c.image_canon AS child_canon, c.ts AS child_ts, 1 AS preference, c.row_id AS child_row
  FROM stateChange e JOIN child c ON c.host_key = e.host_key AND c.parent_pid = e.subject_pid
    AND c.ts BETWEEN e.ts AND e.ts + 60000
    AND (coalesce(c.parent_image, '') = '' OR coalesce(e.subject_image, '') = '' OR c.parent_image = e.subject_image)
  UNION ALL
  SELECT e.row_id AS event_row, c.subject_guid AS child_guid, c.subject_pid AS child_pid,
    c.subject_image AS child_image, c.image_canon AS child_canon, c.ts AS child_ts, 2 AS preference, c.row_id AS child_row
  FROM stateChange e JOIN childSecurity c ON c.host_key = e.host_key AND c.parent_pid = e.subject_pid
    AND c.ts BETWEEN e.ts AND e.ts + 60000
    AND (coalesce(c.parent_image, '') = '' OR coalesce(e.subject_image, '') = '' OR c.parent_image = e.subject_image)
),
first_child AS (
  SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY event_row ORDER BY preference, child_ts, child_row) AS n
    FROM candidates) WHERE n = 1
),
linked AS (
  SELECT e.*, coalesce(f.child_guid, '') AS child_guid, f.child_pid, f.child_image, f.child_canon, f.child_ts
  FROM stateChange e LEFT JOIN first_child f ON f.event_row = e.row_id
),
from_file AS (
  SELECT DISTINCT l.row_id FROM linked l JOIN transactedOpen f ON f.transaction_id = l.transaction_id AND f.file_canon = l.child_canon
),
kept AS (
  SELECT l.* FROM linked l LEFT JOIN from_file ff ON ff.row_id = l.row_id
  WHERE NOT coalesce(l.is_excused, false) OR ff.row_id IS NOT NULL
)
SELECT 'R6' AS rule, first(host) AS host, first(subject_guid) AS source_guid, child_guid AS target_guid,
  date_format(timestamp_millis(min(ts)), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS first_utc, date_format(timestamp_millis(max(greatest(ts, coalesce(child_ts, ts)))), "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'") AS last_utc, count(*) AS count
FROM kept
-- The event names no process GUID: its process is known by PID and image, as in the workbench.
GROUP BY host_key, subject_pid, subject_image, child_guid, child_pid, child_image
