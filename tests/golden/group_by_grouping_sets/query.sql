SELECT status, channel, count(*) AS n FROM orders GROUP BY GROUPING SETS ((status), (channel), ())
