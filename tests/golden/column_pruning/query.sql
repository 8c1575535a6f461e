SELECT name FROM (SELECT * FROM customers) t WHERE t.credit_limit > 1000
