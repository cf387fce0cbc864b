-- The daily rollup rows take turns by day (`org:day:0`/`org:day:1`,
-- `meet:<year>:0`/`meet:<year>:1`) so that tomorrow's can be filled before
-- midnight without evicting today's (store::rollup, service::warm). The rows
-- of the former one-row families would never be read again.
DELETE FROM stats_rollup WHERE family = 'org:day' OR (family LIKE 'meet:%' AND family NOT LIKE 'meet:%:%');
