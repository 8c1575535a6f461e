SELECT country_id FROM stores INTERSECT SELECT country_id FROM countries
