SELECT country_id FROM countries EXCEPT SELECT country_id FROM stores
