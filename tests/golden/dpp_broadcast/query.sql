SELECT e.event_type, count(*) AS n FROM events e JOIN calendar k ON e.event_date = k.cal_date WHERE k.month = 12 GROUP BY e.event_type
