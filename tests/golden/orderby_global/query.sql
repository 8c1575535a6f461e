SELECT store_name, sqft FROM stores ORDER BY sqft
