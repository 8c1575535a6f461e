SELECT * FROM stores JOIN countries USING (country_id)
