SELECT e.event_type, count(*) FROM events e JOIN calendar k ON e.event_date = k.cal_date WHERE k.is_holiday GROUP BY e.event_type
