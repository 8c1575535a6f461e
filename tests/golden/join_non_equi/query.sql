SELECT s.store_name, k.cal_date FROM stores s JOIN calendar k ON s.opened_date < k.cal_date
