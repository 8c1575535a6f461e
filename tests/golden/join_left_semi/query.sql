SELECT * FROM stores s LEFT SEMI JOIN countries c ON s.country_id = c.country_id
