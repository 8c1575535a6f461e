SELECT * FROM stores s LEFT ANTI JOIN countries c ON s.country_id = c.country_id
