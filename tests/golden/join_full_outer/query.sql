SELECT c.country_name, s.store_name FROM countries c FULL OUTER JOIN stores s ON c.country_id = s.country_id
