SELECT p.category, sum(l.quantity) AS q FROM lineitem l JOIN orders o ON l.order_id = o.order_id JOIN products p ON l.product_id = p.product_id GROUP BY p.category
