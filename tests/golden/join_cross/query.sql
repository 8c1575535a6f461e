SELECT c.country_name, k.year FROM countries c CROSS JOIN calendar k
