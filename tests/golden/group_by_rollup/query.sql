SELECT status, channel, count(*) AS n FROM orders GROUP BY ROLLUP(status, channel)
