SELECT s.store_name, o.order_id FROM orders o RIGHT JOIN stores s ON o.store_id = s.store_id
