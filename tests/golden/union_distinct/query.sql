SELECT country_id FROM stores UNION SELECT country_id FROM countries
