//! What Spark 3.5 printed for each practice case (fidelity corpus, expected.jsonl): the executed plan
//! before the action, the shape of the main execution's initial plan (score.py's `shape()`: depth and
//! operator name per line) and EXPLAIN FORMATTED; expression ids, plan ids and paths normalised.

pub const CASES: &[(&str, &str, &str, &str)] = &[
("p_aqe_skew_join__aqe_off",
r#"*(6) HashAggregate(keys=[segment#], functions=[count(1), sum(total_amount#)], output=[segment#, n#L, revenue#])
+- Exchange hashpartitioning(segment#, 200), ENSURE_REQUIREMENTS, [plan_id=]
   +- *(5) HashAggregate(keys=[segment#], functions=[partial_count(1), partial_sum(total_amount#)], output=[segment#, count#L, sum#])
      +- *(5) Project [total_amount#, segment#]
         +- *(5) SortMergeJoin [customer_id#], [customer_id#], Inner
            :- *(2) Sort [customer_id# ASC NULLS FIRST], false, 0
            :  +- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
            :     +- *(1) Filter isnotnull(customer_id#)
            :        +- *(1) ColumnarToRow
            :           +- FileScan parquet [customer_id#,total_amount#] Batched: true, DataFilters: [isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(customer_id)], ReadSchema: struct<customer_id:int,total_amount:double>
            +- *(4) Sort [customer_id# ASC NULLS FIRST], false, 0
               +- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
                  +- *(3) Filter isnotnull(customer_id#)
                     +- *(3) ColumnarToRow
                        +- FileScan parquet [customer_id#,segment#] Batched: true, DataFilters: [isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(customer_id)], ReadSchema: struct<customer_id:int,segment:string>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 Project
4 SortMergeJoin
5 Sort
6 Exchange:hashpartitioning
7 Filter
8 Scan
5 Sort
6 Exchange:hashpartitioning
7 Filter
8 Scan"#,
r#"== Physical Plan ==
* HashAggregate (15)
+- Exchange (14)
   +- * HashAggregate (13)
      +- * Project (12)
         +- * SortMergeJoin Inner (11)
            :- * Sort (5)
            :  +- Exchange (4)
            :     +- * Filter (3)
            :        +- * ColumnarToRow (2)
            :           +- Scan parquet  (1)
            +- * Sort (10)
               +- Exchange (9)
                  +- * Filter (8)
                     +- * ColumnarToRow (7)
                        +- Scan parquet  (6)


(1) Scan parquet 
Output [2]: [customer_id#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,total_amount:double>

(2) ColumnarToRow [codegen id : 1]
Input [2]: [customer_id#, total_amount#]

(3) Filter [codegen id : 1]
Input [2]: [customer_id#, total_amount#]
Condition : isnotnull(customer_id#)

(4) Exchange
Input [2]: [customer_id#, total_amount#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(5) Sort [codegen id : 2]
Input [2]: [customer_id#, total_amount#]
Arguments: [customer_id# ASC NULLS FIRST], false, 0

(6) Scan parquet 
Output [2]: [customer_id#, segment#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,segment:string>

(7) ColumnarToRow [codegen id : 3]
Input [2]: [customer_id#, segment#]

(8) Filter [codegen id : 3]
Input [2]: [customer_id#, segment#]
Condition : isnotnull(customer_id#)

(9) Exchange
Input [2]: [customer_id#, segment#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(10) Sort [codegen id : 4]
Input [2]: [customer_id#, segment#]
Arguments: [customer_id# ASC NULLS FIRST], false, 0

(11) SortMergeJoin [codegen id : 5]
Left keys [1]: [customer_id#]
Right keys [1]: [customer_id#]
Join type: Inner
Join condition: None

(12) Project [codegen id : 5]
Output [2]: [total_amount#, segment#]
Input [4]: [customer_id#, total_amount#, customer_id#, segment#]

(13) HashAggregate [codegen id : 5]
Input [2]: [total_amount#, segment#]
Keys [1]: [segment#]
Functions [2]: [partial_count(1), partial_sum(total_amount#)]
Aggregate Attributes [2]: [count#L, sum#]
Results [3]: [segment#, count#L, sum#]

(14) Exchange
Input [3]: [segment#, count#L, sum#]
Arguments: hashpartitioning(segment#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(15) HashAggregate [codegen id : 6]
Input [3]: [segment#, count#L, sum#]
Keys [1]: [segment#]
Functions [2]: [count(1), sum(total_amount#)]
Aggregate Attributes [2]: [count(1)#L, sum(total_amount#)#]
Results [3]: [segment#, count(1)#L AS n#L, sum(total_amount#)# AS revenue#]"#),
("p_aqe_skew_join__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- HashAggregate(keys=[segment#], functions=[count(1), sum(total_amount#)], output=[segment#, n#L, revenue#])
   +- Exchange hashpartitioning(segment#, 200), ENSURE_REQUIREMENTS, [plan_id=]
      +- HashAggregate(keys=[segment#], functions=[partial_count(1), partial_sum(total_amount#)], output=[segment#, count#L, sum#])
         +- Project [total_amount#, segment#]
            +- SortMergeJoin [customer_id#], [customer_id#], Inner
               :- Sort [customer_id# ASC NULLS FIRST], false, 0
               :  +- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
               :     +- Filter isnotnull(customer_id#)
               :        +- FileScan parquet [customer_id#,total_amount#] Batched: true, DataFilters: [isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(customer_id)], ReadSchema: struct<customer_id:int,total_amount:double>
               +- Sort [customer_id# ASC NULLS FIRST], false, 0
                  +- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
                     +- Filter isnotnull(customer_id#)
                        +- FileScan parquet [customer_id#,segment#] Batched: true, DataFilters: [isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(customer_id)], ReadSchema: struct<customer_id:int,segment:string>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 Project
4 SortMergeJoin
5 Sort
6 Exchange:hashpartitioning
7 Filter
8 Scan
5 Sort
6 Exchange:hashpartitioning
7 Filter
8 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (14)
+- HashAggregate (13)
   +- Exchange (12)
      +- HashAggregate (11)
         +- Project (10)
            +- SortMergeJoin Inner (9)
               :- Sort (4)
               :  +- Exchange (3)
               :     +- Filter (2)
               :        +- Scan parquet  (1)
               +- Sort (8)
                  +- Exchange (7)
                     +- Filter (6)
                        +- Scan parquet  (5)


(1) Scan parquet 
Output [2]: [customer_id#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,total_amount:double>

(2) Filter
Input [2]: [customer_id#, total_amount#]
Condition : isnotnull(customer_id#)

(3) Exchange
Input [2]: [customer_id#, total_amount#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(4) Sort
Input [2]: [customer_id#, total_amount#]
Arguments: [customer_id# ASC NULLS FIRST], false, 0

(5) Scan parquet 
Output [2]: [customer_id#, segment#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,segment:string>

(6) Filter
Input [2]: [customer_id#, segment#]
Condition : isnotnull(customer_id#)

(7) Exchange
Input [2]: [customer_id#, segment#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(8) Sort
Input [2]: [customer_id#, segment#]
Arguments: [customer_id# ASC NULLS FIRST], false, 0

(9) SortMergeJoin
Left keys [1]: [customer_id#]
Right keys [1]: [customer_id#]
Join type: Inner
Join condition: None

(10) Project
Output [2]: [total_amount#, segment#]
Input [4]: [customer_id#, total_amount#, customer_id#, segment#]

(11) HashAggregate
Input [2]: [total_amount#, segment#]
Keys [1]: [segment#]
Functions [2]: [partial_count(1), partial_sum(total_amount#)]
Aggregate Attributes [2]: [count#L, sum#]
Results [3]: [segment#, count#L, sum#]

(12) Exchange
Input [3]: [segment#, count#L, sum#]
Arguments: hashpartitioning(segment#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(13) HashAggregate
Input [3]: [segment#, count#L, sum#]
Keys [1]: [segment#]
Functions [2]: [count(1), sum(total_amount#)]
Aggregate Attributes [2]: [count(1)#L, sum(total_amount#)#]
Results [3]: [segment#, count(1)#L AS n#L, sum(total_amount#)# AS revenue#]

(14) AdaptiveSparkPlan
Output [3]: [segment#, n#L, revenue#]
Arguments: isFinalPlan=false"#),
("p_aqe_smj_to_bhj__aqe_off",
r#"*(5) Project [order_id#L, total_amount#, customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
+- *(5) SortMergeJoin [customer_id#], [customer_id#], Inner
   :- *(2) Sort [customer_id# ASC NULLS FIRST], false, 0
   :  +- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
   :     +- *(1) Filter isnotnull(customer_id#)
   :        +- *(1) ColumnarToRow
   :           +- FileScan parquet [order_id#L,customer_id#,total_amount#] Batched: true, DataFilters: [isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(customer_id)], ReadSchema: struct<order_id:bigint,customer_id:int,total_amount:double>
   +- *(4) Sort [customer_id# ASC NULLS FIRST], false, 0
      +- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
         +- *(3) Filter ((((isnotnull(country_id#) AND isnotnull(segment#)) AND (country_id# = 7)) AND (segment# = Gold)) AND isnotnull(customer_id#))
            +- *(3) ColumnarToRow
               +- FileScan parquet [customer_id#,name#,email#,address#,phone#,country_id#,segment#,signup_date#,credit_limit#,is_active#] Batched: true, DataFilters: [isnotnull(country_id#), isnotnull(segment#), (country_id# = 7), (segment# = Gold), isnotnull..., Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(country_id), IsNotNull(segment), EqualTo(country_id,7), EqualTo(segment,Gold), IsNotNu..., ReadSchema: struct<customer_id:int,name:string,email:string,address:string,phone:string,country_id:int,segmen..."#,
r#"0 Project
1 SortMergeJoin
2 Sort
3 Exchange:hashpartitioning
4 Filter
5 Scan
2 Sort
3 Exchange:hashpartitioning
4 Filter
5 Scan"#,
r#"== Physical Plan ==
* Project (12)
+- * SortMergeJoin Inner (11)
   :- * Sort (5)
   :  +- Exchange (4)
   :     +- * Filter (3)
   :        +- * ColumnarToRow (2)
   :           +- Scan parquet  (1)
   +- * Sort (10)
      +- Exchange (9)
         +- * Filter (8)
            +- * ColumnarToRow (7)
               +- Scan parquet  (6)


(1) Scan parquet 
Output [3]: [order_id#L, customer_id#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(customer_id)]
ReadSchema: struct<order_id:bigint,customer_id:int,total_amount:double>

(2) ColumnarToRow [codegen id : 1]
Input [3]: [order_id#L, customer_id#, total_amount#]

(3) Filter [codegen id : 1]
Input [3]: [order_id#L, customer_id#, total_amount#]
Condition : isnotnull(customer_id#)

(4) Exchange
Input [3]: [order_id#L, customer_id#, total_amount#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(5) Sort [codegen id : 2]
Input [3]: [order_id#L, customer_id#, total_amount#]
Arguments: [customer_id# ASC NULLS FIRST], false, 0

(6) Scan parquet 
Output [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(country_id), IsNotNull(segment), EqualTo(country_id,7), EqualTo(segment,Gold), IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,name:string,email:string,address:string,phone:string,country_id:int,segment:string,signup_date:date,credit_limit:double,is_active:boolean>

(7) ColumnarToRow [codegen id : 3]
Input [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]

(8) Filter [codegen id : 3]
Input [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Condition : ((((isnotnull(country_id#) AND isnotnull(segment#)) AND (country_id# = 7)) AND (segment# = Gold)) AND isnotnull(customer_id#))

(9) Exchange
Input [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(10) Sort [codegen id : 4]
Input [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Arguments: [customer_id# ASC NULLS FIRST], false, 0

(11) SortMergeJoin [codegen id : 5]
Left keys [1]: [customer_id#]
Right keys [1]: [customer_id#]
Join type: Inner
Join condition: None

(12) Project [codegen id : 5]
Output [12]: [order_id#L, total_amount#, customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Input [13]: [order_id#L, customer_id#, total_amount#, customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]"#),
("p_aqe_smj_to_bhj__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- Project [order_id#L, total_amount#, customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
   +- SortMergeJoin [customer_id#], [customer_id#], Inner
      :- Sort [customer_id# ASC NULLS FIRST], false, 0
      :  +- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
      :     +- Filter isnotnull(customer_id#)
      :        +- FileScan parquet [order_id#L,customer_id#,total_amount#] Batched: true, DataFilters: [isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(customer_id)], ReadSchema: struct<order_id:bigint,customer_id:int,total_amount:double>
      +- Sort [customer_id# ASC NULLS FIRST], false, 0
         +- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
            +- Filter ((((isnotnull(country_id#) AND isnotnull(segment#)) AND (country_id# = 7)) AND (segment# = Gold)) AND isnotnull(customer_id#))
               +- FileScan parquet [customer_id#,name#,email#,address#,phone#,country_id#,segment#,signup_date#,credit_limit#,is_active#] Batched: true, DataFilters: [isnotnull(country_id#), isnotnull(segment#), (country_id# = 7), (segment# = Gold), isnotnull..., Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(country_id), IsNotNull(segment), EqualTo(country_id,7), EqualTo(segment,Gold), IsNotNu..., ReadSchema: struct<customer_id:int,name:string,email:string,address:string,phone:string,country_id:int,segmen..."#,
r#"0 Project
1 SortMergeJoin
2 Sort
3 Exchange:hashpartitioning
4 Filter
5 Scan
2 Sort
3 Exchange:hashpartitioning
4 Filter
5 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (11)
+- Project (10)
   +- SortMergeJoin Inner (9)
      :- Sort (4)
      :  +- Exchange (3)
      :     +- Filter (2)
      :        +- Scan parquet  (1)
      +- Sort (8)
         +- Exchange (7)
            +- Filter (6)
               +- Scan parquet  (5)


(1) Scan parquet 
Output [3]: [order_id#L, customer_id#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(customer_id)]
ReadSchema: struct<order_id:bigint,customer_id:int,total_amount:double>

(2) Filter
Input [3]: [order_id#L, customer_id#, total_amount#]
Condition : isnotnull(customer_id#)

(3) Exchange
Input [3]: [order_id#L, customer_id#, total_amount#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(4) Sort
Input [3]: [order_id#L, customer_id#, total_amount#]
Arguments: [customer_id# ASC NULLS FIRST], false, 0

(5) Scan parquet 
Output [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(country_id), IsNotNull(segment), EqualTo(country_id,7), EqualTo(segment,Gold), IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,name:string,email:string,address:string,phone:string,country_id:int,segment:string,signup_date:date,credit_limit:double,is_active:boolean>

(6) Filter
Input [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Condition : ((((isnotnull(country_id#) AND isnotnull(segment#)) AND (country_id# = 7)) AND (segment# = Gold)) AND isnotnull(customer_id#))

(7) Exchange
Input [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(8) Sort
Input [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Arguments: [customer_id# ASC NULLS FIRST], false, 0

(9) SortMergeJoin
Left keys [1]: [customer_id#]
Right keys [1]: [customer_id#]
Join type: Inner
Join condition: None

(10) Project
Output [12]: [order_id#L, total_amount#, customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Input [13]: [order_id#L, customer_id#, total_amount#, customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]

(11) AdaptiveSparkPlan
Output [12]: [order_id#L, total_amount#, customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Arguments: isFinalPlan=false"#),
("p_bhj_dimension__aqe_off",
r#"*(3) HashAggregate(keys=[category#], functions=[sum((cast(quantity# as double) * unit_price#))], output=[category#, revenue#])
+- Exchange hashpartitioning(category#, 200), ENSURE_REQUIREMENTS, [plan_id=]
   +- *(2) HashAggregate(keys=[category#], functions=[partial_sum((cast(quantity# as double) * unit_price#))], output=[category#, sum#])
      +- *(2) Project [quantity#, unit_price#, category#]
         +- *(2) BroadcastHashJoin [product_id#], [product_id#], Inner, BuildRight, false
            :- *(2) Filter isnotnull(product_id#)
            :  +- *(2) ColumnarToRow
            :     +- FileScan parquet [product_id#,quantity#,unit_price#] Batched: true, DataFilters: [isnotnull(product_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(product_id)], ReadSchema: struct<product_id:int,quantity:int,unit_price:double>
            +- BroadcastExchange HashedRelationBroadcastMode(List(cast(input[0, int, false] as bigint)),false), [plan_id=]
               +- *(1) Filter isnotnull(product_id#)
                  +- *(1) ColumnarToRow
                     +- FileScan parquet [product_id#,category#] Batched: true, DataFilters: [isnotnull(product_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(product_id)], ReadSchema: struct<product_id:int,category:string>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 Project
4 BroadcastHashJoin
5 Filter
6 Scan
5 BroadcastExchange
6 Filter
7 Scan"#,
r#"== Physical Plan ==
* HashAggregate (12)
+- Exchange (11)
   +- * HashAggregate (10)
      +- * Project (9)
         +- * BroadcastHashJoin Inner BuildRight (8)
            :- * Filter (3)
            :  +- * ColumnarToRow (2)
            :     +- Scan parquet  (1)
            +- BroadcastExchange (7)
               +- * Filter (6)
                  +- * ColumnarToRow (5)
                     +- Scan parquet  (4)


(1) Scan parquet 
Output [3]: [product_id#, quantity#, unit_price#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(product_id)]
ReadSchema: struct<product_id:int,quantity:int,unit_price:double>

(2) ColumnarToRow [codegen id : 2]
Input [3]: [product_id#, quantity#, unit_price#]

(3) Filter [codegen id : 2]
Input [3]: [product_id#, quantity#, unit_price#]
Condition : isnotnull(product_id#)

(4) Scan parquet 
Output [2]: [product_id#, category#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(product_id)]
ReadSchema: struct<product_id:int,category:string>

(5) ColumnarToRow [codegen id : 1]
Input [2]: [product_id#, category#]

(6) Filter [codegen id : 1]
Input [2]: [product_id#, category#]
Condition : isnotnull(product_id#)

(7) BroadcastExchange
Input [2]: [product_id#, category#]
Arguments: HashedRelationBroadcastMode(List(cast(input[0, int, false] as bigint)),false), [plan_id=]

(8) BroadcastHashJoin [codegen id : 2]
Left keys [1]: [product_id#]
Right keys [1]: [product_id#]
Join type: Inner
Join condition: None

(9) Project [codegen id : 2]
Output [3]: [quantity#, unit_price#, category#]
Input [5]: [product_id#, quantity#, unit_price#, product_id#, category#]

(10) HashAggregate [codegen id : 2]
Input [3]: [quantity#, unit_price#, category#]
Keys [1]: [category#]
Functions [1]: [partial_sum((cast(quantity# as double) * unit_price#))]
Aggregate Attributes [1]: [sum#]
Results [2]: [category#, sum#]

(11) Exchange
Input [2]: [category#, sum#]
Arguments: hashpartitioning(category#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(12) HashAggregate [codegen id : 3]
Input [2]: [category#, sum#]
Keys [1]: [category#]
Functions [1]: [sum((cast(quantity# as double) * unit_price#))]
Aggregate Attributes [1]: [sum((cast(quantity# as double) * unit_price#))#]
Results [2]: [category#, sum((cast(quantity# as double) * unit_price#))# AS revenue#]"#),
("p_bhj_dimension__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- HashAggregate(keys=[category#], functions=[sum((cast(quantity# as double) * unit_price#))], output=[category#, revenue#])
   +- Exchange hashpartitioning(category#, 200), ENSURE_REQUIREMENTS, [plan_id=]
      +- HashAggregate(keys=[category#], functions=[partial_sum((cast(quantity# as double) * unit_price#))], output=[category#, sum#])
         +- Project [quantity#, unit_price#, category#]
            +- BroadcastHashJoin [product_id#], [product_id#], Inner, BuildRight, false
               :- Filter isnotnull(product_id#)
               :  +- FileScan parquet [product_id#,quantity#,unit_price#] Batched: true, DataFilters: [isnotnull(product_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(product_id)], ReadSchema: struct<product_id:int,quantity:int,unit_price:double>
               +- BroadcastExchange HashedRelationBroadcastMode(List(cast(input[0, int, false] as bigint)),false), [plan_id=]
                  +- Filter isnotnull(product_id#)
                     +- FileScan parquet [product_id#,category#] Batched: true, DataFilters: [isnotnull(product_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(product_id)], ReadSchema: struct<product_id:int,category:string>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 Project
4 BroadcastHashJoin
5 Filter
6 Scan
5 BroadcastExchange
6 Filter
7 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (11)
+- HashAggregate (10)
   +- Exchange (9)
      +- HashAggregate (8)
         +- Project (7)
            +- BroadcastHashJoin Inner BuildRight (6)
               :- Filter (2)
               :  +- Scan parquet  (1)
               +- BroadcastExchange (5)
                  +- Filter (4)
                     +- Scan parquet  (3)


(1) Scan parquet 
Output [3]: [product_id#, quantity#, unit_price#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(product_id)]
ReadSchema: struct<product_id:int,quantity:int,unit_price:double>

(2) Filter
Input [3]: [product_id#, quantity#, unit_price#]
Condition : isnotnull(product_id#)

(3) Scan parquet 
Output [2]: [product_id#, category#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(product_id)]
ReadSchema: struct<product_id:int,category:string>

(4) Filter
Input [2]: [product_id#, category#]
Condition : isnotnull(product_id#)

(5) BroadcastExchange
Input [2]: [product_id#, category#]
Arguments: HashedRelationBroadcastMode(List(cast(input[0, int, false] as bigint)),false), [plan_id=]

(6) BroadcastHashJoin
Left keys [1]: [product_id#]
Right keys [1]: [product_id#]
Join type: Inner
Join condition: None

(7) Project
Output [3]: [quantity#, unit_price#, category#]
Input [5]: [product_id#, quantity#, unit_price#, product_id#, category#]

(8) HashAggregate
Input [3]: [quantity#, unit_price#, category#]
Keys [1]: [category#]
Functions [1]: [partial_sum((cast(quantity# as double) * unit_price#))]
Aggregate Attributes [1]: [sum#]
Results [2]: [category#, sum#]

(9) Exchange
Input [2]: [category#, sum#]
Arguments: hashpartitioning(category#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(10) HashAggregate
Input [2]: [category#, sum#]
Keys [1]: [category#]
Functions [1]: [sum((cast(quantity# as double) * unit_price#))]
Aggregate Attributes [1]: [sum((cast(quantity# as double) * unit_price#))#]
Results [2]: [category#, sum((cast(quantity# as double) * unit_price#))# AS revenue#]

(11) AdaptiveSparkPlan
Output [2]: [category#, revenue#]
Arguments: isFinalPlan=false"#),
("p_broadcast_hint_big__aqe_off",
r#"*(3) HashAggregate(keys=[segment#], functions=[count(1)], output=[segment#, n#L])
+- Exchange hashpartitioning(segment#, 200), ENSURE_REQUIREMENTS, [plan_id=]
   +- *(2) HashAggregate(keys=[segment#], functions=[partial_count(1)], output=[segment#, count#L])
      +- *(2) Project [segment#]
         +- *(2) BroadcastHashJoin [customer_id#], [customer_id#], Inner, BuildLeft, false
            :- BroadcastExchange HashedRelationBroadcastMode(List(cast(input[0, int, true] as bigint)),false), [plan_id=]
            :  +- *(1) Project [customer_id#]
            :     +- *(1) Filter ((isnotnull(order_date#) AND (order_date# >= 2024-12-01)) AND isnotnull(customer_id#))
            :        +- *(1) ColumnarToRow
            :           +- FileScan parquet [customer_id#,order_date#] Batched: true, DataFilters: [isnotnull(order_date#), (order_date# >= 2024-12-01), isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(order_date), GreaterThanOrEqual(order_date,2024-12-01), IsNotNull(customer_id)], ReadSchema: struct<customer_id:int,order_date:date>
            +- *(2) Filter isnotnull(customer_id#)
               +- *(2) ColumnarToRow
                  +- FileScan parquet [customer_id#,segment#] Batched: true, DataFilters: [isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(customer_id)], ReadSchema: struct<customer_id:int,segment:string>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 Project
4 BroadcastHashJoin
5 BroadcastExchange
6 Project
7 Filter
8 Scan
5 Filter
6 Scan"#,
r#"== Physical Plan ==
* HashAggregate (13)
+- Exchange (12)
   +- * HashAggregate (11)
      +- * Project (10)
         +- * BroadcastHashJoin Inner BuildLeft (9)
            :- BroadcastExchange (5)
            :  +- * Project (4)
            :     +- * Filter (3)
            :        +- * ColumnarToRow (2)
            :           +- Scan parquet  (1)
            +- * Filter (8)
               +- * ColumnarToRow (7)
                  +- Scan parquet  (6)


(1) Scan parquet 
Output [2]: [customer_id#, order_date#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(order_date), GreaterThanOrEqual(order_date,2024-12-01), IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,order_date:date>

(2) ColumnarToRow [codegen id : 1]
Input [2]: [customer_id#, order_date#]

(3) Filter [codegen id : 1]
Input [2]: [customer_id#, order_date#]
Condition : ((isnotnull(order_date#) AND (order_date# >= 2024-12-01)) AND isnotnull(customer_id#))

(4) Project [codegen id : 1]
Output [1]: [customer_id#]
Input [2]: [customer_id#, order_date#]

(5) BroadcastExchange
Input [1]: [customer_id#]
Arguments: HashedRelationBroadcastMode(List(cast(input[0, int, true] as bigint)),false), [plan_id=]

(6) Scan parquet 
Output [2]: [customer_id#, segment#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,segment:string>

(7) ColumnarToRow
Input [2]: [customer_id#, segment#]

(8) Filter
Input [2]: [customer_id#, segment#]
Condition : isnotnull(customer_id#)

(9) BroadcastHashJoin [codegen id : 2]
Left keys [1]: [customer_id#]
Right keys [1]: [customer_id#]
Join type: Inner
Join condition: None

(10) Project [codegen id : 2]
Output [1]: [segment#]
Input [3]: [customer_id#, customer_id#, segment#]

(11) HashAggregate [codegen id : 2]
Input [1]: [segment#]
Keys [1]: [segment#]
Functions [1]: [partial_count(1)]
Aggregate Attributes [1]: [count#L]
Results [2]: [segment#, count#L]

(12) Exchange
Input [2]: [segment#, count#L]
Arguments: hashpartitioning(segment#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(13) HashAggregate [codegen id : 3]
Input [2]: [segment#, count#L]
Keys [1]: [segment#]
Functions [1]: [count(1)]
Aggregate Attributes [1]: [count(1)#L]
Results [2]: [segment#, count(1)#L AS n#L]"#),
("p_broadcast_hint_big__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- HashAggregate(keys=[segment#], functions=[count(1)], output=[segment#, n#L])
   +- Exchange hashpartitioning(segment#, 200), ENSURE_REQUIREMENTS, [plan_id=]
      +- HashAggregate(keys=[segment#], functions=[partial_count(1)], output=[segment#, count#L])
         +- Project [segment#]
            +- BroadcastHashJoin [customer_id#], [customer_id#], Inner, BuildLeft, false
               :- BroadcastExchange HashedRelationBroadcastMode(List(cast(input[0, int, true] as bigint)),false), [plan_id=]
               :  +- Project [customer_id#]
               :     +- Filter ((isnotnull(order_date#) AND (order_date# >= 2024-12-01)) AND isnotnull(customer_id#))
               :        +- FileScan parquet [customer_id#,order_date#] Batched: true, DataFilters: [isnotnull(order_date#), (order_date# >= 2024-12-01), isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(order_date), GreaterThanOrEqual(order_date,2024-12-01), IsNotNull(customer_id)], ReadSchema: struct<customer_id:int,order_date:date>
               +- Filter isnotnull(customer_id#)
                  +- FileScan parquet [customer_id#,segment#] Batched: true, DataFilters: [isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(customer_id)], ReadSchema: struct<customer_id:int,segment:string>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 Project
4 BroadcastHashJoin
5 BroadcastExchange
6 Project
7 Filter
8 Scan
5 Filter
6 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (12)
+- HashAggregate (11)
   +- Exchange (10)
      +- HashAggregate (9)
         +- Project (8)
            +- BroadcastHashJoin Inner BuildLeft (7)
               :- BroadcastExchange (4)
               :  +- Project (3)
               :     +- Filter (2)
               :        +- Scan parquet  (1)
               +- Filter (6)
                  +- Scan parquet  (5)


(1) Scan parquet 
Output [2]: [customer_id#, order_date#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(order_date), GreaterThanOrEqual(order_date,2024-12-01), IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,order_date:date>

(2) Filter
Input [2]: [customer_id#, order_date#]
Condition : ((isnotnull(order_date#) AND (order_date# >= 2024-12-01)) AND isnotnull(customer_id#))

(3) Project
Output [1]: [customer_id#]
Input [2]: [customer_id#, order_date#]

(4) BroadcastExchange
Input [1]: [customer_id#]
Arguments: HashedRelationBroadcastMode(List(cast(input[0, int, true] as bigint)),false), [plan_id=]

(5) Scan parquet 
Output [2]: [customer_id#, segment#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,segment:string>

(6) Filter
Input [2]: [customer_id#, segment#]
Condition : isnotnull(customer_id#)

(7) BroadcastHashJoin
Left keys [1]: [customer_id#]
Right keys [1]: [customer_id#]
Join type: Inner
Join condition: None

(8) Project
Output [1]: [segment#]
Input [3]: [customer_id#, customer_id#, segment#]

(9) HashAggregate
Input [1]: [segment#]
Keys [1]: [segment#]
Functions [1]: [partial_count(1)]
Aggregate Attributes [1]: [count#L]
Results [2]: [segment#, count#L]

(10) Exchange
Input [2]: [segment#, count#L]
Arguments: hashpartitioning(segment#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(11) HashAggregate
Input [2]: [segment#, count#L]
Keys [1]: [segment#]
Functions [1]: [count(1)]
Aggregate Attributes [1]: [count(1)#L]
Results [2]: [segment#, count(1)#L AS n#L]

(12) AdaptiveSparkPlan
Output [2]: [segment#, n#L]
Arguments: isFinalPlan=false"#),
("p_cache_two_actions__aqe_off",
r#"TakeOrderedAndProject(limit=5, orderBy=[revenue# DESC NULLS LAST], output=[store_id#,revenue#])
+- *(2) HashAggregate(keys=[store_id#], functions=[sum(total_amount#)], output=[store_id#, revenue#])
   +- Exchange hashpartitioning(store_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
      +- *(1) HashAggregate(keys=[store_id#], functions=[partial_sum(total_amount#)], output=[store_id#, sum#])
         +- InMemoryTableScan [store_id#, total_amount#]
               +- InMemoryRelation [customer_id#, store_id#, total_amount#], StorageLevel(disk, memory, deserialized, 1 replicas)
                     +- *(1) Project [customer_id#, store_id#, total_amount#]
                        +- *(1) Filter (isnotnull(status#) AND (status# = DELIVERED))
                           +- *(1) ColumnarToRow
                              +- FileScan parquet [customer_id#,store_id#,status#,total_amount#] Batched: true, DataFilters: [isnotnull(status#), (status# = DELIVERED)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(status), EqualTo(status,DELIVERED)], ReadSchema: struct<customer_id:int,store_id:int,status:string,total_amount:double>"#,
r#"0 TakeOrderedAndProject
1 HashAggregate
2 Exchange:hashpartitioning
3 HashAggregate
4 InMemoryTableScan"#,
r#"== Physical Plan ==
TakeOrderedAndProject (10)
+- * HashAggregate (9)
   +- Exchange (8)
      +- * HashAggregate (7)
         +- InMemoryTableScan (1)
               +- InMemoryRelation (2)
                     +- * Project (6)
                        +- * Filter (5)
                           +- * ColumnarToRow (4)
                              +- Scan parquet  (3)


(1) InMemoryTableScan
Output [2]: [store_id#, total_amount#]
Arguments: [store_id#, total_amount#]

(2) InMemoryRelation
Arguments: [customer_id#, store_id#, total_amount#], CachedRDDBuilder(org.apache.spark.sql.execution.columnar.DefaultCachedBatchSerializer@61416308,StorageLevel(disk, memory, deserialized, 1 replicas),*(1) Project [customer_id#, store_id#, total_amount#]
+- *(1) Filter (isnotnull(status#) AND (status# = DELIVERED))
   +- *(1) ColumnarToRow
      +- FileScan parquet [customer_id#,store_id#,status#,total_amount#] Batched: true, DataFilters: [isnotnull(status#), (status# = DELIVERED)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(status), EqualTo(status,DELIVERED)], ReadSchema: struct<customer_id:int,store_id:int,status:string,total_amount:double>
,None)

(3) Scan parquet 
Output [4]: [customer_id#, store_id#, status#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(status), EqualTo(status,DELIVERED)]
ReadSchema: struct<customer_id:int,store_id:int,status:string,total_amount:double>

(4) ColumnarToRow [codegen id : 1]
Input [4]: [customer_id#, store_id#, status#, total_amount#]

(5) Filter [codegen id : 1]
Input [4]: [customer_id#, store_id#, status#, total_amount#]
Condition : (isnotnull(status#) AND (status# = DELIVERED))

(6) Project [codegen id : 1]
Output [3]: [customer_id#, store_id#, total_amount#]
Input [4]: [customer_id#, store_id#, status#, total_amount#]

(7) HashAggregate [codegen id : 1]
Input [2]: [store_id#, total_amount#]
Keys [1]: [store_id#]
Functions [1]: [partial_sum(total_amount#)]
Aggregate Attributes [1]: [sum#]
Results [2]: [store_id#, sum#]

(8) Exchange
Input [2]: [store_id#, sum#]
Arguments: hashpartitioning(store_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(9) HashAggregate [codegen id : 2]
Input [2]: [store_id#, sum#]
Keys [1]: [store_id#]
Functions [1]: [sum(total_amount#)]
Aggregate Attributes [1]: [sum(total_amount#)#]
Results [2]: [store_id#, sum(total_amount#)# AS revenue#]

(10) TakeOrderedAndProject
Input [2]: [store_id#, revenue#]
Arguments: 5, [revenue# DESC NULLS LAST], [store_id#, revenue#]"#),
("p_cache_two_actions__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- TakeOrderedAndProject(limit=5, orderBy=[revenue# DESC NULLS LAST], output=[store_id#,revenue#])
   +- HashAggregate(keys=[store_id#], functions=[sum(total_amount#)], output=[store_id#, revenue#])
      +- Exchange hashpartitioning(store_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
         +- HashAggregate(keys=[store_id#], functions=[partial_sum(total_amount#)], output=[store_id#, sum#])
            +- InMemoryTableScan [store_id#, total_amount#]
                  +- InMemoryRelation [customer_id#, store_id#, total_amount#], StorageLevel(disk, memory, deserialized, 1 replicas)
                        +- *(1) Project [customer_id#, store_id#, total_amount#]
                           +- *(1) Filter (isnotnull(status#) AND (status# = DELIVERED))
                              +- *(1) ColumnarToRow
                                 +- FileScan parquet [customer_id#,store_id#,status#,total_amount#] Batched: true, DataFilters: [isnotnull(status#), (status# = DELIVERED)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(status), EqualTo(status,DELIVERED)], ReadSchema: struct<customer_id:int,store_id:int,status:string,total_amount:double>"#,
r#"0 TakeOrderedAndProject
1 HashAggregate
2 Exchange:hashpartitioning
3 HashAggregate
4 InMemoryTableScan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (11)
+- TakeOrderedAndProject (10)
   +- HashAggregate (9)
      +- Exchange (8)
         +- HashAggregate (7)
            +- InMemoryTableScan (1)
                  +- InMemoryRelation (2)
                        +- * Project (6)
                           +- * Filter (5)
                              +- * ColumnarToRow (4)
                                 +- Scan parquet  (3)


(1) InMemoryTableScan
Output [2]: [store_id#, total_amount#]
Arguments: [store_id#, total_amount#]

(2) InMemoryRelation
Arguments: [customer_id#, store_id#, total_amount#], CachedRDDBuilder(org.apache.spark.sql.execution.columnar.DefaultCachedBatchSerializer@45913a84,StorageLevel(disk, memory, deserialized, 1 replicas),*(1) Project [customer_id#, store_id#, total_amount#]
+- *(1) Filter (isnotnull(status#) AND (status# = DELIVERED))
   +- *(1) ColumnarToRow
      +- FileScan parquet [customer_id#,store_id#,status#,total_amount#] Batched: true, DataFilters: [isnotnull(status#), (status# = DELIVERED)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(status), EqualTo(status,DELIVERED)], ReadSchema: struct<customer_id:int,store_id:int,status:string,total_amount:double>
,None)

(3) Scan parquet 
Output [4]: [customer_id#, store_id#, status#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(status), EqualTo(status,DELIVERED)]
ReadSchema: struct<customer_id:int,store_id:int,status:string,total_amount:double>

(4) ColumnarToRow [codegen id : 1]
Input [4]: [customer_id#, store_id#, status#, total_amount#]

(5) Filter [codegen id : 1]
Input [4]: [customer_id#, store_id#, status#, total_amount#]
Condition : (isnotnull(status#) AND (status# = DELIVERED))

(6) Project [codegen id : 1]
Output [3]: [customer_id#, store_id#, total_amount#]
Input [4]: [customer_id#, store_id#, status#, total_amount#]

(7) HashAggregate
Input [2]: [store_id#, total_amount#]
Keys [1]: [store_id#]
Functions [1]: [partial_sum(total_amount#)]
Aggregate Attributes [1]: [sum#]
Results [2]: [store_id#, sum#]

(8) Exchange
Input [2]: [store_id#, sum#]
Arguments: hashpartitioning(store_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(9) HashAggregate
Input [2]: [store_id#, sum#]
Keys [1]: [store_id#]
Functions [1]: [sum(total_amount#)]
Aggregate Attributes [1]: [sum(total_amount#)#]
Results [2]: [store_id#, sum(total_amount#)# AS revenue#]

(10) TakeOrderedAndProject
Input [2]: [store_id#, revenue#]
Arguments: 5, [revenue# DESC NULLS LAST], [store_id#, revenue#]

(11) AdaptiveSparkPlan
Output [2]: [store_id#, revenue#]
Arguments: isFinalPlan=false"#),
("p_count_star__aqe_off",
r#"*(2) HashAggregate(keys=[], functions=[count(1)], output=[n#L])
+- Exchange SinglePartition, ENSURE_REQUIREMENTS, [plan_id=]
   +- *(1) HashAggregate(keys=[], functions=[partial_count(1)], output=[count#L])
      +- *(1) ColumnarToRow
         +- FileScan parquet [] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<>"#,
r#"0 HashAggregate
1 Exchange:SinglePartition
2 HashAggregate
3 Scan"#,
r#"== Physical Plan ==
* HashAggregate (5)
+- Exchange (4)
   +- * HashAggregate (3)
      +- * ColumnarToRow (2)
         +- Scan parquet  (1)


(1) Scan parquet 
Output: []
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<>

(2) ColumnarToRow [codegen id : 1]
Input: []

(3) HashAggregate [codegen id : 1]
Input: []
Keys: []
Functions [1]: [partial_count(1)]
Aggregate Attributes [1]: [count#L]
Results [1]: [count#L]

(4) Exchange
Input [1]: [count#L]
Arguments: SinglePartition, ENSURE_REQUIREMENTS, [plan_id=]

(5) HashAggregate [codegen id : 2]
Input [1]: [count#L]
Keys: []
Functions [1]: [count(1)]
Aggregate Attributes [1]: [count(1)#L]
Results [1]: [count(1)#L AS n#L]"#),
("p_count_star__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- HashAggregate(keys=[], functions=[count(1)], output=[n#L])
   +- Exchange SinglePartition, ENSURE_REQUIREMENTS, [plan_id=]
      +- HashAggregate(keys=[], functions=[partial_count(1)], output=[count#L])
         +- FileScan parquet [] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<>"#,
r#"0 HashAggregate
1 Exchange:SinglePartition
2 HashAggregate
3 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (5)
+- HashAggregate (4)
   +- Exchange (3)
      +- HashAggregate (2)
         +- Scan parquet  (1)


(1) Scan parquet 
Output: []
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<>

(2) HashAggregate
Input: []
Keys: []
Functions [1]: [partial_count(1)]
Aggregate Attributes [1]: [count#L]
Results [1]: [count#L]

(3) Exchange
Input [1]: [count#L]
Arguments: SinglePartition, ENSURE_REQUIREMENTS, [plan_id=]

(4) HashAggregate
Input [1]: [count#L]
Keys: []
Functions [1]: [count(1)]
Aggregate Attributes [1]: [count(1)#L]
Results [1]: [count(1)#L AS n#L]

(5) AdaptiveSparkPlan
Output [1]: [n#L]
Arguments: isFinalPlan=false"#),
("p_cross_join_small__aqe_off",
r#"*(3) HashAggregate(keys=[region#, store_type#], functions=[count(1)], output=[region#, store_type#, n#L])
+- Exchange hashpartitioning(region#, store_type#, 200), ENSURE_REQUIREMENTS, [plan_id=]
   +- *(2) HashAggregate(keys=[region#, store_type#], functions=[partial_count(1)], output=[region#, store_type#, count#L])
      +- *(2) BroadcastNestedLoopJoin BuildLeft, Cross
         :- BroadcastExchange IdentityBroadcastMode, [plan_id=]
         :  +- *(1) ColumnarToRow
         :     +- FileScan parquet [region#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<region:string>
         +- *(2) ColumnarToRow
            +- FileScan parquet [store_type#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<store_type:string>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 BroadcastNestedLoopJoin
4 BroadcastExchange
5 Scan
4 Scan"#,
r#"== Physical Plan ==
* HashAggregate (9)
+- Exchange (8)
   +- * HashAggregate (7)
      +- * BroadcastNestedLoopJoin Cross BuildLeft (6)
         :- BroadcastExchange (3)
         :  +- * ColumnarToRow (2)
         :     +- Scan parquet  (1)
         +- * ColumnarToRow (5)
            +- Scan parquet  (4)


(1) Scan parquet 
Output [1]: [region#]
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<region:string>

(2) ColumnarToRow [codegen id : 1]
Input [1]: [region#]

(3) BroadcastExchange
Input [1]: [region#]
Arguments: IdentityBroadcastMode, [plan_id=]

(4) Scan parquet 
Output [1]: [store_type#]
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<store_type:string>

(5) ColumnarToRow
Input [1]: [store_type#]

(6) BroadcastNestedLoopJoin [codegen id : 2]
Join type: Cross
Join condition: None

(7) HashAggregate [codegen id : 2]
Input [2]: [region#, store_type#]
Keys [2]: [region#, store_type#]
Functions [1]: [partial_count(1)]
Aggregate Attributes [1]: [count#L]
Results [3]: [region#, store_type#, count#L]

(8) Exchange
Input [3]: [region#, store_type#, count#L]
Arguments: hashpartitioning(region#, store_type#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(9) HashAggregate [codegen id : 3]
Input [3]: [region#, store_type#, count#L]
Keys [2]: [region#, store_type#]
Functions [1]: [count(1)]
Aggregate Attributes [1]: [count(1)#L]
Results [3]: [region#, store_type#, count(1)#L AS n#L]"#),
("p_cross_join_small__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- HashAggregate(keys=[region#, store_type#], functions=[count(1)], output=[region#, store_type#, n#L])
   +- Exchange hashpartitioning(region#, store_type#, 200), ENSURE_REQUIREMENTS, [plan_id=]
      +- HashAggregate(keys=[region#, store_type#], functions=[partial_count(1)], output=[region#, store_type#, count#L])
         +- BroadcastNestedLoopJoin BuildLeft, Cross
            :- BroadcastExchange IdentityBroadcastMode, [plan_id=]
            :  +- FileScan parquet [region#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<region:string>
            +- FileScan parquet [store_type#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<store_type:string>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 BroadcastNestedLoopJoin
4 BroadcastExchange
5 Scan
4 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (8)
+- HashAggregate (7)
   +- Exchange (6)
      +- HashAggregate (5)
         +- BroadcastNestedLoopJoin Cross BuildLeft (4)
            :- BroadcastExchange (2)
            :  +- Scan parquet  (1)
            +- Scan parquet  (3)


(1) Scan parquet 
Output [1]: [region#]
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<region:string>

(2) BroadcastExchange
Input [1]: [region#]
Arguments: IdentityBroadcastMode, [plan_id=]

(3) Scan parquet 
Output [1]: [store_type#]
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<store_type:string>

(4) BroadcastNestedLoopJoin
Join type: Cross
Join condition: None

(5) HashAggregate
Input [2]: [region#, store_type#]
Keys [2]: [region#, store_type#]
Functions [1]: [partial_count(1)]
Aggregate Attributes [1]: [count#L]
Results [3]: [region#, store_type#, count#L]

(6) Exchange
Input [3]: [region#, store_type#, count#L]
Arguments: hashpartitioning(region#, store_type#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(7) HashAggregate
Input [3]: [region#, store_type#, count#L]
Keys [2]: [region#, store_type#]
Functions [1]: [count(1)]
Aggregate Attributes [1]: [count(1)#L]
Results [3]: [region#, store_type#, count(1)#L AS n#L]

(8) AdaptiveSparkPlan
Output [3]: [region#, store_type#, n#L]
Arguments: isFinalPlan=false"#),
("p_cte_reused__aqe_off",
r#"*(7) HashAggregate(keys=[], functions=[count(1)], output=[n#L])
+- Exchange SinglePartition, ENSURE_REQUIREMENTS, [plan_id=]
   +- *(6) HashAggregate(keys=[], functions=[partial_count(1)], output=[count#L])
      +- *(6) Project
         +- *(6) SortMergeJoin [customer_id#], [(customer_id# + 1)], Inner, (s# > s#)
            :- *(2) Sort [customer_id# ASC NULLS FIRST], false, 0
            :  +- *(2) Filter isnotnull(s#)
            :     +- *(2) HashAggregate(keys=[customer_id#], functions=[sum(total_amount#)], output=[customer_id#, s#])
            :        +- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
            :           +- *(1) HashAggregate(keys=[customer_id#], functions=[partial_sum(total_amount#)], output=[customer_id#, sum#])
            :              +- *(1) Filter isnotnull(customer_id#)
            :                 +- *(1) ColumnarToRow
            :                    +- FileScan parquet [customer_id#,total_amount#] Batched: true, DataFilters: [isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(customer_id)], ReadSchema: struct<customer_id:int,total_amount:double>
            +- *(5) Sort [(customer_id# + 1) ASC NULLS FIRST], false, 0
               +- Exchange hashpartitioning((customer_id# + 1), 200), ENSURE_REQUIREMENTS, [plan_id=]
                  +- *(4) Filter isnotnull(s#)
                     +- *(4) HashAggregate(keys=[customer_id#], functions=[sum(total_amount#)], output=[customer_id#, s#])
                        +- ReusedExchange [customer_id#, sum#], Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]"#,
r#"0 HashAggregate
1 Exchange:SinglePartition
2 HashAggregate
3 Project
4 SortMergeJoin
5 Sort
6 Filter
7 HashAggregate
8 Exchange:hashpartitioning
9 HashAggregate
10 Filter
11 Scan
5 Sort
6 Exchange:hashpartitioning
7 Filter
8 HashAggregate
9 ReusedExchange"#,
r#"== Physical Plan ==
* HashAggregate (18)
+- Exchange (17)
   +- * HashAggregate (16)
      +- * Project (15)
         +- * SortMergeJoin Inner (14)
            :- * Sort (8)
            :  +- * Filter (7)
            :     +- * HashAggregate (6)
            :        +- Exchange (5)
            :           +- * HashAggregate (4)
            :              +- * Filter (3)
            :                 +- * ColumnarToRow (2)
            :                    +- Scan parquet  (1)
            +- * Sort (13)
               +- Exchange (12)
                  +- * Filter (11)
                     +- * HashAggregate (10)
                        +- ReusedExchange (9)


(1) Scan parquet 
Output [2]: [customer_id#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,total_amount:double>

(2) ColumnarToRow [codegen id : 1]
Input [2]: [customer_id#, total_amount#]

(3) Filter [codegen id : 1]
Input [2]: [customer_id#, total_amount#]
Condition : isnotnull(customer_id#)

(4) HashAggregate [codegen id : 1]
Input [2]: [customer_id#, total_amount#]
Keys [1]: [customer_id#]
Functions [1]: [partial_sum(total_amount#)]
Aggregate Attributes [1]: [sum#]
Results [2]: [customer_id#, sum#]

(5) Exchange
Input [2]: [customer_id#, sum#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(6) HashAggregate [codegen id : 2]
Input [2]: [customer_id#, sum#]
Keys [1]: [customer_id#]
Functions [1]: [sum(total_amount#)]
Aggregate Attributes [1]: [sum(total_amount#)#]
Results [2]: [customer_id#, sum(total_amount#)# AS s#]

(7) Filter [codegen id : 2]
Input [2]: [customer_id#, s#]
Condition : isnotnull(s#)

(8) Sort [codegen id : 2]
Input [2]: [customer_id#, s#]
Arguments: [customer_id# ASC NULLS FIRST], false, 0

(9) ReusedExchange [Reuses operator id: 5]
Output [2]: [customer_id#, sum#]

(10) HashAggregate [codegen id : 4]
Input [2]: [customer_id#, sum#]
Keys [1]: [customer_id#]
Functions [1]: [sum(total_amount#)]
Aggregate Attributes [1]: [sum(total_amount#)#]
Results [2]: [customer_id#, sum(total_amount#)# AS s#]

(11) Filter [codegen id : 4]
Input [2]: [customer_id#, s#]
Condition : isnotnull(s#)

(12) Exchange
Input [2]: [customer_id#, s#]
Arguments: hashpartitioning((customer_id# + 1), 200), ENSURE_REQUIREMENTS, [plan_id=]

(13) Sort [codegen id : 5]
Input [2]: [customer_id#, s#]
Arguments: [(customer_id# + 1) ASC NULLS FIRST], false, 0

(14) SortMergeJoin [codegen id : 6]
Left keys [1]: [customer_id#]
Right keys [1]: [(customer_id# + 1)]
Join type: Inner
Join condition: (s# > s#)

(15) Project [codegen id : 6]
Output: []
Input [4]: [customer_id#, s#, customer_id#, s#]

(16) HashAggregate [codegen id : 6]
Input: []
Keys: []
Functions [1]: [partial_count(1)]
Aggregate Attributes [1]: [count#L]
Results [1]: [count#L]

(17) Exchange
Input [1]: [count#L]
Arguments: SinglePartition, ENSURE_REQUIREMENTS, [plan_id=]

(18) HashAggregate [codegen id : 7]
Input [1]: [count#L]
Keys: []
Functions [1]: [count(1)]
Aggregate Attributes [1]: [count(1)#L]
Results [1]: [count(1)#L AS n#L]"#),
("p_cte_reused__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- HashAggregate(keys=[], functions=[count(1)], output=[n#L])
   +- Exchange SinglePartition, ENSURE_REQUIREMENTS, [plan_id=]
      +- HashAggregate(keys=[], functions=[partial_count(1)], output=[count#L])
         +- Project
            +- SortMergeJoin [customer_id#], [(customer_id# + 1)], Inner, (s# > s#)
               :- Sort [customer_id# ASC NULLS FIRST], false, 0
               :  +- Filter isnotnull(s#)
               :     +- HashAggregate(keys=[customer_id#], functions=[sum(total_amount#)], output=[customer_id#, s#])
               :        +- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
               :           +- HashAggregate(keys=[customer_id#], functions=[partial_sum(total_amount#)], output=[customer_id#, sum#])
               :              +- Filter isnotnull(customer_id#)
               :                 +- FileScan parquet [customer_id#,total_amount#] Batched: true, DataFilters: [isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(customer_id)], ReadSchema: struct<customer_id:int,total_amount:double>
               +- Sort [(customer_id# + 1) ASC NULLS FIRST], false, 0
                  +- Exchange hashpartitioning((customer_id# + 1), 200), ENSURE_REQUIREMENTS, [plan_id=]
                     +- Filter isnotnull(s#)
                        +- HashAggregate(keys=[customer_id#], functions=[sum(total_amount#)], output=[customer_id#, s#])
                           +- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
                              +- HashAggregate(keys=[customer_id#], functions=[partial_sum(total_amount#)], output=[customer_id#, sum#])
                                 +- Filter isnotnull(customer_id#)
                                    +- FileScan parquet [customer_id#,total_amount#] Batched: true, DataFilters: [isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(customer_id)], ReadSchema: struct<customer_id:int,total_amount:double>"#,
r#"0 HashAggregate
1 Exchange:SinglePartition
2 HashAggregate
3 Project
4 SortMergeJoin
5 Sort
6 Filter
7 HashAggregate
8 Exchange:hashpartitioning
9 HashAggregate
10 Filter
11 Scan
5 Sort
6 Exchange:hashpartitioning
7 Filter
8 HashAggregate
9 Exchange:hashpartitioning
10 HashAggregate
11 Filter
12 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (21)
+- HashAggregate (20)
   +- Exchange (19)
      +- HashAggregate (18)
         +- Project (17)
            +- SortMergeJoin Inner (16)
               :- Sort (7)
               :  +- Filter (6)
               :     +- HashAggregate (5)
               :        +- Exchange (4)
               :           +- HashAggregate (3)
               :              +- Filter (2)
               :                 +- Scan parquet  (1)
               +- Sort (15)
                  +- Exchange (14)
                     +- Filter (13)
                        +- HashAggregate (12)
                           +- Exchange (11)
                              +- HashAggregate (10)
                                 +- Filter (9)
                                    +- Scan parquet  (8)


(1) Scan parquet 
Output [2]: [customer_id#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,total_amount:double>

(2) Filter
Input [2]: [customer_id#, total_amount#]
Condition : isnotnull(customer_id#)

(3) HashAggregate
Input [2]: [customer_id#, total_amount#]
Keys [1]: [customer_id#]
Functions [1]: [partial_sum(total_amount#)]
Aggregate Attributes [1]: [sum#]
Results [2]: [customer_id#, sum#]

(4) Exchange
Input [2]: [customer_id#, sum#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(5) HashAggregate
Input [2]: [customer_id#, sum#]
Keys [1]: [customer_id#]
Functions [1]: [sum(total_amount#)]
Aggregate Attributes [1]: [sum(total_amount#)#]
Results [2]: [customer_id#, sum(total_amount#)# AS s#]

(6) Filter
Input [2]: [customer_id#, s#]
Condition : isnotnull(s#)

(7) Sort
Input [2]: [customer_id#, s#]
Arguments: [customer_id# ASC NULLS FIRST], false, 0

(8) Scan parquet 
Output [2]: [customer_id#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,total_amount:double>

(9) Filter
Input [2]: [customer_id#, total_amount#]
Condition : isnotnull(customer_id#)

(10) HashAggregate
Input [2]: [customer_id#, total_amount#]
Keys [1]: [customer_id#]
Functions [1]: [partial_sum(total_amount#)]
Aggregate Attributes [1]: [sum#]
Results [2]: [customer_id#, sum#]

(11) Exchange
Input [2]: [customer_id#, sum#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(12) HashAggregate
Input [2]: [customer_id#, sum#]
Keys [1]: [customer_id#]
Functions [1]: [sum(total_amount#)]
Aggregate Attributes [1]: [sum(total_amount#)#]
Results [2]: [customer_id#, sum(total_amount#)# AS s#]

(13) Filter
Input [2]: [customer_id#, s#]
Condition : isnotnull(s#)

(14) Exchange
Input [2]: [customer_id#, s#]
Arguments: hashpartitioning((customer_id# + 1), 200), ENSURE_REQUIREMENTS, [plan_id=]

(15) Sort
Input [2]: [customer_id#, s#]
Arguments: [(customer_id# + 1) ASC NULLS FIRST], false, 0

(16) SortMergeJoin
Left keys [1]: [customer_id#]
Right keys [1]: [(customer_id# + 1)]
Join type: Inner
Join condition: (s# > s#)

(17) Project
Output: []
Input [4]: [customer_id#, s#, customer_id#, s#]

(18) HashAggregate
Input: []
Keys: []
Functions [1]: [partial_count(1)]
Aggregate Attributes [1]: [count#L]
Results [1]: [count#L]

(19) Exchange
Input [1]: [count#L]
Arguments: SinglePartition, ENSURE_REQUIREMENTS, [plan_id=]

(20) HashAggregate
Input [1]: [count#L]
Keys: []
Functions [1]: [count(1)]
Aggregate Attributes [1]: [count(1)#L]
Results [1]: [count(1)#L AS n#L]

(21) AdaptiveSparkPlan
Output [1]: [n#L]
Arguments: isFinalPlan=false"#),
("p_df_groupby_topn__aqe_off",
r#"TakeOrderedAndProject(limit=10, orderBy=[q#L DESC NULLS LAST], output=[product_id#,q#L,avg_price#])
+- *(2) HashAggregate(keys=[product_id#], functions=[sum(quantity#), avg(unit_price#)], output=[product_id#, q#L, avg_price#])
   +- Exchange hashpartitioning(product_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
      +- *(1) HashAggregate(keys=[product_id#], functions=[partial_sum(quantity#), partial_avg(unit_price#)], output=[product_id#, sum#L, sum#, count#L])
         +- *(1) ColumnarToRow
            +- FileScan parquet [product_id#,quantity#,unit_price#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<product_id:int,quantity:int,unit_price:double>"#,
r#"0 TakeOrderedAndProject
1 HashAggregate
2 Exchange:hashpartitioning
3 HashAggregate
4 Scan"#,
r#"== Physical Plan ==
TakeOrderedAndProject (6)
+- * HashAggregate (5)
   +- Exchange (4)
      +- * HashAggregate (3)
         +- * ColumnarToRow (2)
            +- Scan parquet  (1)


(1) Scan parquet 
Output [3]: [product_id#, quantity#, unit_price#]
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<product_id:int,quantity:int,unit_price:double>

(2) ColumnarToRow [codegen id : 1]
Input [3]: [product_id#, quantity#, unit_price#]

(3) HashAggregate [codegen id : 1]
Input [3]: [product_id#, quantity#, unit_price#]
Keys [1]: [product_id#]
Functions [2]: [partial_sum(quantity#), partial_avg(unit_price#)]
Aggregate Attributes [3]: [sum#L, sum#, count#L]
Results [4]: [product_id#, sum#L, sum#, count#L]

(4) Exchange
Input [4]: [product_id#, sum#L, sum#, count#L]
Arguments: hashpartitioning(product_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(5) HashAggregate [codegen id : 2]
Input [4]: [product_id#, sum#L, sum#, count#L]
Keys [1]: [product_id#]
Functions [2]: [sum(quantity#), avg(unit_price#)]
Aggregate Attributes [2]: [sum(quantity#)#L, avg(unit_price#)#]
Results [3]: [product_id#, sum(quantity#)#L AS q#L, avg(unit_price#)# AS avg_price#]

(6) TakeOrderedAndProject
Input [3]: [product_id#, q#L, avg_price#]
Arguments: 10, [q#L DESC NULLS LAST], [product_id#, q#L, avg_price#]"#),
("p_df_groupby_topn__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- TakeOrderedAndProject(limit=10, orderBy=[q#L DESC NULLS LAST], output=[product_id#,q#L,avg_price#])
   +- HashAggregate(keys=[product_id#], functions=[sum(quantity#), avg(unit_price#)], output=[product_id#, q#L, avg_price#])
      +- Exchange hashpartitioning(product_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
         +- HashAggregate(keys=[product_id#], functions=[partial_sum(quantity#), partial_avg(unit_price#)], output=[product_id#, sum#L, sum#, count#L])
            +- FileScan parquet [product_id#,quantity#,unit_price#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<product_id:int,quantity:int,unit_price:double>"#,
r#"0 TakeOrderedAndProject
1 HashAggregate
2 Exchange:hashpartitioning
3 HashAggregate
4 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (6)
+- TakeOrderedAndProject (5)
   +- HashAggregate (4)
      +- Exchange (3)
         +- HashAggregate (2)
            +- Scan parquet  (1)


(1) Scan parquet 
Output [3]: [product_id#, quantity#, unit_price#]
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<product_id:int,quantity:int,unit_price:double>

(2) HashAggregate
Input [3]: [product_id#, quantity#, unit_price#]
Keys [1]: [product_id#]
Functions [2]: [partial_sum(quantity#), partial_avg(unit_price#)]
Aggregate Attributes [3]: [sum#L, sum#, count#L]
Results [4]: [product_id#, sum#L, sum#, count#L]

(3) Exchange
Input [4]: [product_id#, sum#L, sum#, count#L]
Arguments: hashpartitioning(product_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(4) HashAggregate
Input [4]: [product_id#, sum#L, sum#, count#L]
Keys [1]: [product_id#]
Functions [2]: [sum(quantity#), avg(unit_price#)]
Aggregate Attributes [2]: [sum(quantity#)#L, avg(unit_price#)#]
Results [3]: [product_id#, sum(quantity#)#L AS q#L, avg(unit_price#)# AS avg_price#]

(5) TakeOrderedAndProject
Input [3]: [product_id#, q#L, avg_price#]
Arguments: 10, [q#L DESC NULLS LAST], [product_id#, q#L, avg_price#]

(6) AdaptiveSparkPlan
Output [3]: [product_id#, q#L, avg_price#]
Arguments: isFinalPlan=false"#),
("p_dpp_broadcast__aqe_off",
r#"*(3) HashAggregate(keys=[event_type#], functions=[count(1)], output=[event_type#, n#L])
+- Exchange hashpartitioning(event_type#, 200), ENSURE_REQUIREMENTS, [plan_id=]
   +- *(2) HashAggregate(keys=[event_type#], functions=[partial_count(1)], output=[event_type#, count#L])
      +- *(2) Project [event_type#]
         +- *(2) BroadcastHashJoin [event_date#], [cal_date#], Inner, BuildRight, false
            :- *(2) ColumnarToRow
            :  +- FileScan parquet [event_type#,event_date#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [isnotnull(event_date#), dynamicpruningexpression(event_date# IN dynamicpruning#)], PushedFilters: [], ReadSchema: struct<event_type:string>
            :        +- SubqueryBroadcast dynamicpruning#, 0, [cal_date#], [id=#]
            :           +- BroadcastExchange HashedRelationBroadcastMode(List(input[0, date, true]),false), [plan_id=]
            :              +- *(1) Project [cal_date#]
            :                 +- *(1) Filter ((isnotnull(day_of_week#) AND (day_of_week# >= 6)) AND isnotnull(cal_date#))
            :                    +- *(1) ColumnarToRow
            :                       +- FileScan parquet [cal_date#,day_of_week#] Batched: true, DataFilters: [isnotnull(day_of_week#), (day_of_week# >= 6), isnotnull(cal_date#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(day_of_week), GreaterThanOrEqual(day_of_week,6), IsNotNull(cal_date)], ReadSchema: struct<cal_date:date,day_of_week:int>
            +- ReusedExchange [cal_date#], BroadcastExchange HashedRelationBroadcastMode(List(input[0, date, true]),false), [plan_id=]"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 Project
4 BroadcastHashJoin
5 Scan
5 ReusedExchange"#,
r#"== Physical Plan ==
* HashAggregate (8)
+- Exchange (7)
   +- * HashAggregate (6)
      +- * Project (5)
         +- * BroadcastHashJoin Inner BuildRight (4)
            :- * ColumnarToRow (2)
            :  +- Scan parquet  (1)
            +- ReusedExchange (3)


(1) Scan parquet 
Output [2]: [event_type#, event_date#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PartitionFilters: [isnotnull(event_date#), dynamicpruningexpression(event_date# IN dynamicpruning#)]
ReadSchema: struct<event_type:string>

(2) ColumnarToRow [codegen id : 2]
Input [2]: [event_type#, event_date#]

(3) ReusedExchange [Reuses operator id: 13]
Output [1]: [cal_date#]

(4) BroadcastHashJoin [codegen id : 2]
Left keys [1]: [event_date#]
Right keys [1]: [cal_date#]
Join type: Inner
Join condition: None

(5) Project [codegen id : 2]
Output [1]: [event_type#]
Input [3]: [event_type#, event_date#, cal_date#]

(6) HashAggregate [codegen id : 2]
Input [1]: [event_type#]
Keys [1]: [event_type#]
Functions [1]: [partial_count(1)]
Aggregate Attributes [1]: [count#L]
Results [2]: [event_type#, count#L]

(7) Exchange
Input [2]: [event_type#, count#L]
Arguments: hashpartitioning(event_type#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(8) HashAggregate [codegen id : 3]
Input [2]: [event_type#, count#L]
Keys [1]: [event_type#]
Functions [1]: [count(1)]
Aggregate Attributes [1]: [count(1)#L]
Results [2]: [event_type#, count(1)#L AS n#L]

===== Subqueries =====

Subquery:1 Hosting operator id = 1 Hosting Expression = event_date# IN dynamicpruning#
BroadcastExchange (13)
+- * Project (12)
   +- * Filter (11)
      +- * ColumnarToRow (10)
         +- Scan parquet  (9)


(9) Scan parquet 
Output [2]: [cal_date#, day_of_week#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(day_of_week), GreaterThanOrEqual(day_of_week,6), IsNotNull(cal_date)]
ReadSchema: struct<cal_date:date,day_of_week:int>

(10) ColumnarToRow [codegen id : 1]
Input [2]: [cal_date#, day_of_week#]

(11) Filter [codegen id : 1]
Input [2]: [cal_date#, day_of_week#]
Condition : ((isnotnull(day_of_week#) AND (day_of_week# >= 6)) AND isnotnull(cal_date#))

(12) Project [codegen id : 1]
Output [1]: [cal_date#]
Input [2]: [cal_date#, day_of_week#]

(13) BroadcastExchange
Input [1]: [cal_date#]
Arguments: HashedRelationBroadcastMode(List(input[0, date, true]),false), [plan_id=]"#),
("p_dpp_broadcast__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- HashAggregate(keys=[event_type#], functions=[count(1)], output=[event_type#, n#L])
   +- Exchange hashpartitioning(event_type#, 200), ENSURE_REQUIREMENTS, [plan_id=]
      +- HashAggregate(keys=[event_type#], functions=[partial_count(1)], output=[event_type#, count#L])
         +- Project [event_type#]
            +- BroadcastHashJoin [event_date#], [cal_date#], Inner, BuildRight, false
               :- FileScan parquet [event_type#,event_date#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [isnotnull(event_date#), dynamicpruningexpression(event_date# IN dynamicpruning#)], PushedFilters: [], ReadSchema: struct<event_type:string>
               :     +- SubqueryAdaptiveBroadcast dynamicpruning#, 0, true, Project [cal_date#], [cal_date#]
               :        +- AdaptiveSparkPlan isFinalPlan=false
               :           +- Project [cal_date#]
               :              +- Filter ((isnotnull(day_of_week#) AND (day_of_week# >= 6)) AND isnotnull(cal_date#))
               :                 +- FileScan parquet [cal_date#,day_of_week#] Batched: true, DataFilters: [isnotnull(day_of_week#), (day_of_week# >= 6), isnotnull(cal_date#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(day_of_week), GreaterThanOrEqual(day_of_week,6), IsNotNull(cal_date)], ReadSchema: struct<cal_date:date,day_of_week:int>
               +- BroadcastExchange HashedRelationBroadcastMode(List(input[0, date, true]),false), [plan_id=]
                  +- Project [cal_date#]
                     +- Filter ((isnotnull(day_of_week#) AND (day_of_week# >= 6)) AND isnotnull(cal_date#))
                        +- FileScan parquet [cal_date#,day_of_week#] Batched: true, DataFilters: [isnotnull(day_of_week#), (day_of_week# >= 6), isnotnull(cal_date#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(day_of_week), GreaterThanOrEqual(day_of_week,6), IsNotNull(cal_date)], ReadSchema: struct<cal_date:date,day_of_week:int>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 Project
4 BroadcastHashJoin
5 Scan
5 BroadcastExchange
6 Project
7 Filter
8 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (11)
+- HashAggregate (10)
   +- Exchange (9)
      +- HashAggregate (8)
         +- Project (7)
            +- BroadcastHashJoin Inner BuildRight (6)
               :- Scan parquet  (1)
               +- BroadcastExchange (5)
                  +- Project (4)
                     +- Filter (3)
                        +- Scan parquet  (2)


(1) Scan parquet 
Output [2]: [event_type#, event_date#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PartitionFilters: [isnotnull(event_date#), dynamicpruningexpression(event_date# IN dynamicpruning#)]
ReadSchema: struct<event_type:string>

(2) Scan parquet 
Output [2]: [cal_date#, day_of_week#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(day_of_week), GreaterThanOrEqual(day_of_week,6), IsNotNull(cal_date)]
ReadSchema: struct<cal_date:date,day_of_week:int>

(3) Filter
Input [2]: [cal_date#, day_of_week#]
Condition : ((isnotnull(day_of_week#) AND (day_of_week# >= 6)) AND isnotnull(cal_date#))

(4) Project
Output [1]: [cal_date#]
Input [2]: [cal_date#, day_of_week#]

(5) BroadcastExchange
Input [1]: [cal_date#]
Arguments: HashedRelationBroadcastMode(List(input[0, date, true]),false), [plan_id=]

(6) BroadcastHashJoin
Left keys [1]: [event_date#]
Right keys [1]: [cal_date#]
Join type: Inner
Join condition: None

(7) Project
Output [1]: [event_type#]
Input [3]: [event_type#, event_date#, cal_date#]

(8) HashAggregate
Input [1]: [event_type#]
Keys [1]: [event_type#]
Functions [1]: [partial_count(1)]
Aggregate Attributes [1]: [count#L]
Results [2]: [event_type#, count#L]

(9) Exchange
Input [2]: [event_type#, count#L]
Arguments: hashpartitioning(event_type#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(10) HashAggregate
Input [2]: [event_type#, count#L]
Keys [1]: [event_type#]
Functions [1]: [count(1)]
Aggregate Attributes [1]: [count(1)#L]
Results [2]: [event_type#, count(1)#L AS n#L]

(11) AdaptiveSparkPlan
Output [2]: [event_type#, n#L]
Arguments: isFinalPlan=false

===== Subqueries =====

Subquery:1 Hosting operator id = 1 Hosting Expression = event_date# IN dynamicpruning#
AdaptiveSparkPlan (15)
+- Project (14)
   +- Filter (13)
      +- Scan parquet  (12)


(12) Scan parquet 
Output [2]: [cal_date#, day_of_week#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(day_of_week), GreaterThanOrEqual(day_of_week,6), IsNotNull(cal_date)]
ReadSchema: struct<cal_date:date,day_of_week:int>

(13) Filter
Input [2]: [cal_date#, day_of_week#]
Condition : ((isnotnull(day_of_week#) AND (day_of_week# >= 6)) AND isnotnull(cal_date#))

(14) Project
Output [1]: [cal_date#]
Input [2]: [cal_date#, day_of_week#]

(15) AdaptiveSparkPlan
Output [1]: [cal_date#]
Arguments: isFinalPlan=false"#),
("p_explode__aqe_off",
r#"TakeOrderedAndProject(limit=5, orderBy=[n#L DESC NULLS LAST,tag# ASC NULLS FIRST], output=[tag#,n#L])
+- *(2) HashAggregate(keys=[tag#], functions=[count(1)], output=[tag#, n#L])
   +- Exchange hashpartitioning(tag#, 200), ENSURE_REQUIREMENTS, [plan_id=]
      +- *(1) HashAggregate(keys=[tag#], functions=[partial_count(1)], output=[tag#, count#L])
         +- *(1) Generate explode(split(address#,  , -1)), false, [tag#]
            +- *(1) Project [address#]
               +- *(1) Filter (isnotnull(country_id#) AND (country_id# = 1))
                  +- *(1) ColumnarToRow
                     +- FileScan parquet [address#,country_id#] Batched: true, DataFilters: [isnotnull(country_id#), (country_id# = 1)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(country_id), EqualTo(country_id,1)], ReadSchema: struct<address:string,country_id:int>"#,
r#"0 TakeOrderedAndProject
1 HashAggregate
2 Exchange:hashpartitioning
3 HashAggregate
4 Generate
5 Project
6 Filter
7 Scan"#,
r#"== Physical Plan ==
TakeOrderedAndProject (9)
+- * HashAggregate (8)
   +- Exchange (7)
      +- * HashAggregate (6)
         +- * Generate (5)
            +- * Project (4)
               +- * Filter (3)
                  +- * ColumnarToRow (2)
                     +- Scan parquet  (1)


(1) Scan parquet 
Output [2]: [address#, country_id#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(country_id), EqualTo(country_id,1)]
ReadSchema: struct<address:string,country_id:int>

(2) ColumnarToRow [codegen id : 1]
Input [2]: [address#, country_id#]

(3) Filter [codegen id : 1]
Input [2]: [address#, country_id#]
Condition : (isnotnull(country_id#) AND (country_id# = 1))

(4) Project [codegen id : 1]
Output [1]: [address#]
Input [2]: [address#, country_id#]

(5) Generate [codegen id : 1]
Input [1]: [address#]
Arguments: explode(split(address#,  , -1)), false, [tag#]

(6) HashAggregate [codegen id : 1]
Input [1]: [tag#]
Keys [1]: [tag#]
Functions [1]: [partial_count(1)]
Aggregate Attributes [1]: [count#L]
Results [2]: [tag#, count#L]

(7) Exchange
Input [2]: [tag#, count#L]
Arguments: hashpartitioning(tag#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(8) HashAggregate [codegen id : 2]
Input [2]: [tag#, count#L]
Keys [1]: [tag#]
Functions [1]: [count(1)]
Aggregate Attributes [1]: [count(1)#L]
Results [2]: [tag#, count(1)#L AS n#L]

(9) TakeOrderedAndProject
Input [2]: [tag#, n#L]
Arguments: 5, [n#L DESC NULLS LAST, tag# ASC NULLS FIRST], [tag#, n#L]"#),
("p_explode__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- TakeOrderedAndProject(limit=5, orderBy=[n#L DESC NULLS LAST,tag# ASC NULLS FIRST], output=[tag#,n#L])
   +- HashAggregate(keys=[tag#], functions=[count(1)], output=[tag#, n#L])
      +- Exchange hashpartitioning(tag#, 200), ENSURE_REQUIREMENTS, [plan_id=]
         +- HashAggregate(keys=[tag#], functions=[partial_count(1)], output=[tag#, count#L])
            +- Generate explode(split(address#,  , -1)), false, [tag#]
               +- Project [address#]
                  +- Filter (isnotnull(country_id#) AND (country_id# = 1))
                     +- FileScan parquet [address#,country_id#] Batched: true, DataFilters: [isnotnull(country_id#), (country_id# = 1)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(country_id), EqualTo(country_id,1)], ReadSchema: struct<address:string,country_id:int>"#,
r#"0 TakeOrderedAndProject
1 HashAggregate
2 Exchange:hashpartitioning
3 HashAggregate
4 Generate
5 Project
6 Filter
7 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (9)
+- TakeOrderedAndProject (8)
   +- HashAggregate (7)
      +- Exchange (6)
         +- HashAggregate (5)
            +- Generate (4)
               +- Project (3)
                  +- Filter (2)
                     +- Scan parquet  (1)


(1) Scan parquet 
Output [2]: [address#, country_id#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(country_id), EqualTo(country_id,1)]
ReadSchema: struct<address:string,country_id:int>

(2) Filter
Input [2]: [address#, country_id#]
Condition : (isnotnull(country_id#) AND (country_id# = 1))

(3) Project
Output [1]: [address#]
Input [2]: [address#, country_id#]

(4) Generate
Input [1]: [address#]
Arguments: explode(split(address#,  , -1)), false, [tag#]

(5) HashAggregate
Input [1]: [tag#]
Keys [1]: [tag#]
Functions [1]: [partial_count(1)]
Aggregate Attributes [1]: [count#L]
Results [2]: [tag#, count#L]

(6) Exchange
Input [2]: [tag#, count#L]
Arguments: hashpartitioning(tag#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(7) HashAggregate
Input [2]: [tag#, count#L]
Keys [1]: [tag#]
Functions [1]: [count(1)]
Aggregate Attributes [1]: [count(1)#L]
Results [2]: [tag#, count(1)#L AS n#L]

(8) TakeOrderedAndProject
Input [2]: [tag#, n#L]
Arguments: 5, [n#L DESC NULLS LAST, tag# ASC NULLS FIRST], [tag#, n#L]

(9) AdaptiveSparkPlan
Output [2]: [tag#, n#L]
Arguments: isFinalPlan=false"#),
("p_groupby_aqe_coalesce__aqe_off",
r#"*(2) HashAggregate(keys=[status#], functions=[count(1), sum(total_amount#)], output=[status#, n#L, revenue#])
+- Exchange hashpartitioning(status#, 200), ENSURE_REQUIREMENTS, [plan_id=]
   +- *(1) HashAggregate(keys=[status#], functions=[partial_count(1), partial_sum(total_amount#)], output=[status#, count#L, sum#])
      +- *(1) ColumnarToRow
         +- FileScan parquet [status#,total_amount#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<status:string,total_amount:double>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 Scan"#,
r#"== Physical Plan ==
* HashAggregate (5)
+- Exchange (4)
   +- * HashAggregate (3)
      +- * ColumnarToRow (2)
         +- Scan parquet  (1)


(1) Scan parquet 
Output [2]: [status#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<status:string,total_amount:double>

(2) ColumnarToRow [codegen id : 1]
Input [2]: [status#, total_amount#]

(3) HashAggregate [codegen id : 1]
Input [2]: [status#, total_amount#]
Keys [1]: [status#]
Functions [2]: [partial_count(1), partial_sum(total_amount#)]
Aggregate Attributes [2]: [count#L, sum#]
Results [3]: [status#, count#L, sum#]

(4) Exchange
Input [3]: [status#, count#L, sum#]
Arguments: hashpartitioning(status#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(5) HashAggregate [codegen id : 2]
Input [3]: [status#, count#L, sum#]
Keys [1]: [status#]
Functions [2]: [count(1), sum(total_amount#)]
Aggregate Attributes [2]: [count(1)#L, sum(total_amount#)#]
Results [3]: [status#, count(1)#L AS n#L, sum(total_amount#)# AS revenue#]"#),
("p_groupby_aqe_coalesce__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- HashAggregate(keys=[status#], functions=[count(1), sum(total_amount#)], output=[status#, n#L, revenue#])
   +- Exchange hashpartitioning(status#, 200), ENSURE_REQUIREMENTS, [plan_id=]
      +- HashAggregate(keys=[status#], functions=[partial_count(1), partial_sum(total_amount#)], output=[status#, count#L, sum#])
         +- FileScan parquet [status#,total_amount#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<status:string,total_amount:double>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (5)
+- HashAggregate (4)
   +- Exchange (3)
      +- HashAggregate (2)
         +- Scan parquet  (1)


(1) Scan parquet 
Output [2]: [status#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<status:string,total_amount:double>

(2) HashAggregate
Input [2]: [status#, total_amount#]
Keys [1]: [status#]
Functions [2]: [partial_count(1), partial_sum(total_amount#)]
Aggregate Attributes [2]: [count#L, sum#]
Results [3]: [status#, count#L, sum#]

(3) Exchange
Input [3]: [status#, count#L, sum#]
Arguments: hashpartitioning(status#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(4) HashAggregate
Input [3]: [status#, count#L, sum#]
Keys [1]: [status#]
Functions [2]: [count(1), sum(total_amount#)]
Aggregate Attributes [2]: [count(1)#L, sum(total_amount#)#]
Results [3]: [status#, count(1)#L AS n#L, sum(total_amount#)# AS revenue#]

(5) AdaptiveSparkPlan
Output [3]: [status#, n#L, revenue#]
Arguments: isFinalPlan=false"#),
("p_merge_hint__aqe_off",
r#"*(6) HashAggregate(keys=[category#], functions=[sum(quantity#)], output=[category#, q#L])
+- Exchange hashpartitioning(category#, 200), ENSURE_REQUIREMENTS, [plan_id=]
   +- *(5) HashAggregate(keys=[category#], functions=[partial_sum(quantity#)], output=[category#, sum#L])
      +- *(5) Project [quantity#, category#]
         +- *(5) SortMergeJoin [product_id#], [product_id#], Inner
            :- *(2) Sort [product_id# ASC NULLS FIRST], false, 0
            :  +- Exchange hashpartitioning(product_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
            :     +- *(1) Filter isnotnull(product_id#)
            :        +- *(1) ColumnarToRow
            :           +- FileScan parquet [product_id#,quantity#] Batched: true, DataFilters: [isnotnull(product_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(product_id)], ReadSchema: struct<product_id:int,quantity:int>
            +- *(4) Sort [product_id# ASC NULLS FIRST], false, 0
               +- Exchange hashpartitioning(product_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
                  +- *(3) Filter isnotnull(product_id#)
                     +- *(3) ColumnarToRow
                        +- FileScan parquet [product_id#,category#] Batched: true, DataFilters: [isnotnull(product_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(product_id)], ReadSchema: struct<product_id:int,category:string>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 Project
4 SortMergeJoin
5 Sort
6 Exchange:hashpartitioning
7 Filter
8 Scan
5 Sort
6 Exchange:hashpartitioning
7 Filter
8 Scan"#,
r#"== Physical Plan ==
* HashAggregate (15)
+- Exchange (14)
   +- * HashAggregate (13)
      +- * Project (12)
         +- * SortMergeJoin Inner (11)
            :- * Sort (5)
            :  +- Exchange (4)
            :     +- * Filter (3)
            :        +- * ColumnarToRow (2)
            :           +- Scan parquet  (1)
            +- * Sort (10)
               +- Exchange (9)
                  +- * Filter (8)
                     +- * ColumnarToRow (7)
                        +- Scan parquet  (6)


(1) Scan parquet 
Output [2]: [product_id#, quantity#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(product_id)]
ReadSchema: struct<product_id:int,quantity:int>

(2) ColumnarToRow [codegen id : 1]
Input [2]: [product_id#, quantity#]

(3) Filter [codegen id : 1]
Input [2]: [product_id#, quantity#]
Condition : isnotnull(product_id#)

(4) Exchange
Input [2]: [product_id#, quantity#]
Arguments: hashpartitioning(product_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(5) Sort [codegen id : 2]
Input [2]: [product_id#, quantity#]
Arguments: [product_id# ASC NULLS FIRST], false, 0

(6) Scan parquet 
Output [2]: [product_id#, category#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(product_id)]
ReadSchema: struct<product_id:int,category:string>

(7) ColumnarToRow [codegen id : 3]
Input [2]: [product_id#, category#]

(8) Filter [codegen id : 3]
Input [2]: [product_id#, category#]
Condition : isnotnull(product_id#)

(9) Exchange
Input [2]: [product_id#, category#]
Arguments: hashpartitioning(product_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(10) Sort [codegen id : 4]
Input [2]: [product_id#, category#]
Arguments: [product_id# ASC NULLS FIRST], false, 0

(11) SortMergeJoin [codegen id : 5]
Left keys [1]: [product_id#]
Right keys [1]: [product_id#]
Join type: Inner
Join condition: None

(12) Project [codegen id : 5]
Output [2]: [quantity#, category#]
Input [4]: [product_id#, quantity#, product_id#, category#]

(13) HashAggregate [codegen id : 5]
Input [2]: [quantity#, category#]
Keys [1]: [category#]
Functions [1]: [partial_sum(quantity#)]
Aggregate Attributes [1]: [sum#L]
Results [2]: [category#, sum#L]

(14) Exchange
Input [2]: [category#, sum#L]
Arguments: hashpartitioning(category#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(15) HashAggregate [codegen id : 6]
Input [2]: [category#, sum#L]
Keys [1]: [category#]
Functions [1]: [sum(quantity#)]
Aggregate Attributes [1]: [sum(quantity#)#L]
Results [2]: [category#, sum(quantity#)#L AS q#L]"#),
("p_merge_hint__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- HashAggregate(keys=[category#], functions=[sum(quantity#)], output=[category#, q#L])
   +- Exchange hashpartitioning(category#, 200), ENSURE_REQUIREMENTS, [plan_id=]
      +- HashAggregate(keys=[category#], functions=[partial_sum(quantity#)], output=[category#, sum#L])
         +- Project [quantity#, category#]
            +- SortMergeJoin [product_id#], [product_id#], Inner
               :- Sort [product_id# ASC NULLS FIRST], false, 0
               :  +- Exchange hashpartitioning(product_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
               :     +- Filter isnotnull(product_id#)
               :        +- FileScan parquet [product_id#,quantity#] Batched: true, DataFilters: [isnotnull(product_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(product_id)], ReadSchema: struct<product_id:int,quantity:int>
               +- Sort [product_id# ASC NULLS FIRST], false, 0
                  +- Exchange hashpartitioning(product_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
                     +- Filter isnotnull(product_id#)
                        +- FileScan parquet [product_id#,category#] Batched: true, DataFilters: [isnotnull(product_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(product_id)], ReadSchema: struct<product_id:int,category:string>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 Project
4 SortMergeJoin
5 Sort
6 Exchange:hashpartitioning
7 Filter
8 Scan
5 Sort
6 Exchange:hashpartitioning
7 Filter
8 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (14)
+- HashAggregate (13)
   +- Exchange (12)
      +- HashAggregate (11)
         +- Project (10)
            +- SortMergeJoin Inner (9)
               :- Sort (4)
               :  +- Exchange (3)
               :     +- Filter (2)
               :        +- Scan parquet  (1)
               +- Sort (8)
                  +- Exchange (7)
                     +- Filter (6)
                        +- Scan parquet  (5)


(1) Scan parquet 
Output [2]: [product_id#, quantity#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(product_id)]
ReadSchema: struct<product_id:int,quantity:int>

(2) Filter
Input [2]: [product_id#, quantity#]
Condition : isnotnull(product_id#)

(3) Exchange
Input [2]: [product_id#, quantity#]
Arguments: hashpartitioning(product_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(4) Sort
Input [2]: [product_id#, quantity#]
Arguments: [product_id# ASC NULLS FIRST], false, 0

(5) Scan parquet 
Output [2]: [product_id#, category#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(product_id)]
ReadSchema: struct<product_id:int,category:string>

(6) Filter
Input [2]: [product_id#, category#]
Condition : isnotnull(product_id#)

(7) Exchange
Input [2]: [product_id#, category#]
Arguments: hashpartitioning(product_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(8) Sort
Input [2]: [product_id#, category#]
Arguments: [product_id# ASC NULLS FIRST], false, 0

(9) SortMergeJoin
Left keys [1]: [product_id#]
Right keys [1]: [product_id#]
Join type: Inner
Join condition: None

(10) Project
Output [2]: [quantity#, category#]
Input [4]: [product_id#, quantity#, product_id#, category#]

(11) HashAggregate
Input [2]: [quantity#, category#]
Keys [1]: [category#]
Functions [1]: [partial_sum(quantity#)]
Aggregate Attributes [1]: [sum#L]
Results [2]: [category#, sum#L]

(12) Exchange
Input [2]: [category#, sum#L]
Arguments: hashpartitioning(category#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(13) HashAggregate
Input [2]: [category#, sum#L]
Keys [1]: [category#]
Functions [1]: [sum(quantity#)]
Aggregate Attributes [1]: [sum(quantity#)#L]
Results [2]: [category#, sum(quantity#)#L AS q#L]

(14) AdaptiveSparkPlan
Output [2]: [category#, q#L]
Arguments: isFinalPlan=false"#),
("p_orderby_write__aqe_off",
r#"*(2) Sort [signup_date# ASC NULLS FIRST, customer_id# ASC NULLS FIRST], true, 0
+- Exchange rangepartitioning(signup_date# ASC NULLS FIRST, customer_id# ASC NULLS FIRST, 200), ENSURE_REQUIREMENTS, [plan_id=]
   +- *(1) ColumnarToRow
      +- FileScan parquet [customer_id#,name#,email#,address#,phone#,country_id#,segment#,signup_date#,credit_limit#,is_active#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<customer_id:int,name:string,email:string,address:string,phone:string,country_id:int,segmen..."#,
r#"0 Execute
1 WriteFiles
2 Sort
3 Exchange:rangepartitioning
4 Scan"#,
r#"== Physical Plan ==
* Sort (4)
+- Exchange (3)
   +- * ColumnarToRow (2)
      +- Scan parquet  (1)


(1) Scan parquet 
Output [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<customer_id:int,name:string,email:string,address:string,phone:string,country_id:int,segment:string,signup_date:date,credit_limit:double,is_active:boolean>

(2) ColumnarToRow [codegen id : 1]
Input [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]

(3) Exchange
Input [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Arguments: rangepartitioning(signup_date# ASC NULLS FIRST, customer_id# ASC NULLS FIRST, 200), ENSURE_REQUIREMENTS, [plan_id=]

(4) Sort [codegen id : 2]
Input [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Arguments: [signup_date# ASC NULLS FIRST, customer_id# ASC NULLS FIRST], true, 0"#),
("p_orderby_write__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- Sort [signup_date# ASC NULLS FIRST, customer_id# ASC NULLS FIRST], true, 0
   +- Exchange rangepartitioning(signup_date# ASC NULLS FIRST, customer_id# ASC NULLS FIRST, 200), ENSURE_REQUIREMENTS, [plan_id=]
      +- FileScan parquet [customer_id#,name#,email#,address#,phone#,country_id#,segment#,signup_date#,credit_limit#,is_active#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<customer_id:int,name:string,email:string,address:string,phone:string,country_id:int,segmen..."#,
r#"0 Execute
1 WriteFiles
2 Sort
3 Exchange:rangepartitioning
4 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (4)
+- Sort (3)
   +- Exchange (2)
      +- Scan parquet  (1)


(1) Scan parquet 
Output [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<customer_id:int,name:string,email:string,address:string,phone:string,country_id:int,segment:string,signup_date:date,credit_limit:double,is_active:boolean>

(2) Exchange
Input [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Arguments: rangepartitioning(signup_date# ASC NULLS FIRST, customer_id# ASC NULLS FIRST, 200), ENSURE_REQUIREMENTS, [plan_id=]

(3) Sort
Input [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Arguments: [signup_date# ASC NULLS FIRST, customer_id# ASC NULLS FIRST], true, 0

(4) AdaptiveSparkPlan
Output [10]: [customer_id#, name#, email#, address#, phone#, country_id#, segment#, signup_date#, credit_limit#, is_active#]
Arguments: isFinalPlan=false"#),
("p_pushdown_projection__aqe_off",
r#"*(1) Project [order_id#L, customer_id#, total_amount#]
+- *(1) Filter ((((isnotnull(order_date#) AND isnotnull(status#)) AND (order_date# >= 2024-12-01)) AND (order_date# <= 2024-12-07)) AND (status# = RETURNED))
   +- *(1) ColumnarToRow
      +- FileScan parquet [order_id#L,customer_id#,order_date#,status#,total_amount#] Batched: true, DataFilters: [isnotnull(order_date#), isnotnull(status#), (order_date# >= 2024-12-01), (order_date# <=..., Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(order_date), IsNotNull(status), GreaterThanOrEqual(order_date,2024-12-01), LessThanOrE..., ReadSchema: struct<order_id:bigint,customer_id:int,order_date:date,status:string,total_amount:double>"#,
r#"0 Project
1 Filter
2 Scan"#,
r#"== Physical Plan ==
* Project (4)
+- * Filter (3)
   +- * ColumnarToRow (2)
      +- Scan parquet  (1)


(1) Scan parquet 
Output [5]: [order_id#L, customer_id#, order_date#, status#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(order_date), IsNotNull(status), GreaterThanOrEqual(order_date,2024-12-01), LessThanOrEqual(order_date,2024-12-07), EqualTo(status,RETURNED)]
ReadSchema: struct<order_id:bigint,customer_id:int,order_date:date,status:string,total_amount:double>

(2) ColumnarToRow [codegen id : 1]
Input [5]: [order_id#L, customer_id#, order_date#, status#, total_amount#]

(3) Filter [codegen id : 1]
Input [5]: [order_id#L, customer_id#, order_date#, status#, total_amount#]
Condition : ((((isnotnull(order_date#) AND isnotnull(status#)) AND (order_date# >= 2024-12-01)) AND (order_date# <= 2024-12-07)) AND (status# = RETURNED))

(4) Project [codegen id : 1]
Output [3]: [order_id#L, customer_id#, total_amount#]
Input [5]: [order_id#L, customer_id#, order_date#, status#, total_amount#]"#),
("p_pushdown_projection__aqe_on",
r#"*(1) Project [order_id#L, customer_id#, total_amount#]
+- *(1) Filter ((((isnotnull(order_date#) AND isnotnull(status#)) AND (order_date# >= 2024-12-01)) AND (order_date# <= 2024-12-07)) AND (status# = RETURNED))
   +- *(1) ColumnarToRow
      +- FileScan parquet [order_id#L,customer_id#,order_date#,status#,total_amount#] Batched: true, DataFilters: [isnotnull(order_date#), isnotnull(status#), (order_date# >= 2024-12-01), (order_date# <=..., Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(order_date), IsNotNull(status), GreaterThanOrEqual(order_date,2024-12-01), LessThanOrE..., ReadSchema: struct<order_id:bigint,customer_id:int,order_date:date,status:string,total_amount:double>"#,
r#"0 Project
1 Filter
2 Scan"#,
r#"== Physical Plan ==
* Project (4)
+- * Filter (3)
   +- * ColumnarToRow (2)
      +- Scan parquet  (1)


(1) Scan parquet 
Output [5]: [order_id#L, customer_id#, order_date#, status#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(order_date), IsNotNull(status), GreaterThanOrEqual(order_date,2024-12-01), LessThanOrEqual(order_date,2024-12-07), EqualTo(status,RETURNED)]
ReadSchema: struct<order_id:bigint,customer_id:int,order_date:date,status:string,total_amount:double>

(2) ColumnarToRow [codegen id : 1]
Input [5]: [order_id#L, customer_id#, order_date#, status#, total_amount#]

(3) Filter [codegen id : 1]
Input [5]: [order_id#L, customer_id#, order_date#, status#, total_amount#]
Condition : ((((isnotnull(order_date#) AND isnotnull(status#)) AND (order_date# >= 2024-12-01)) AND (order_date# <= 2024-12-07)) AND (status# = RETURNED))

(4) Project [codegen id : 1]
Output [3]: [order_id#L, customer_id#, total_amount#]
Input [5]: [order_id#L, customer_id#, order_date#, status#, total_amount#]"#),
("p_repartition_vs_coalesce__aqe_off",
r#"Coalesce 1
+- *(1) ColumnarToRow
   +- FileScan parquet [order_id#L,customer_id#,total_amount#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<order_id:bigint,customer_id:int,total_amount:double>"#,
r#"0 Execute
1 WriteFiles
2 Coalesce
3 Scan"#,
r#"== Physical Plan ==
Coalesce (3)
+- * ColumnarToRow (2)
   +- Scan parquet  (1)


(1) Scan parquet 
Output [3]: [order_id#L, customer_id#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<order_id:bigint,customer_id:int,total_amount:double>

(2) ColumnarToRow [codegen id : 1]
Input [3]: [order_id#L, customer_id#, total_amount#]

(3) Coalesce
Input [3]: [order_id#L, customer_id#, total_amount#]
Arguments: 1"#),
("p_repartition_vs_coalesce__aqe_on",
r#"Coalesce 1
+- *(1) ColumnarToRow
   +- FileScan parquet [order_id#L,customer_id#,total_amount#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<order_id:bigint,customer_id:int,total_amount:double>"#,
r#"0 Execute
1 WriteFiles
2 Coalesce
3 Scan"#,
r#"== Physical Plan ==
Coalesce (3)
+- * ColumnarToRow (2)
   +- Scan parquet  (1)


(1) Scan parquet 
Output [3]: [order_id#L, customer_id#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<order_id:bigint,customer_id:int,total_amount:double>

(2) ColumnarToRow [codegen id : 1]
Input [3]: [order_id#L, customer_id#, total_amount#]

(3) Coalesce
Input [3]: [order_id#L, customer_id#, total_amount#]
Arguments: 1"#),
("p_semi_in_subquery__aqe_off",
r#"*(3) HashAggregate(keys=[], functions=[count(1)], output=[n#L])
+- Exchange SinglePartition, ENSURE_REQUIREMENTS, [plan_id=]
   +- *(2) HashAggregate(keys=[], functions=[partial_count(1)], output=[count#L])
      +- *(2) Project
         +- *(2) BroadcastHashJoin [customer_id#], [customer_id#], LeftSemi, BuildRight, false
            :- *(2) ColumnarToRow
            :  +- FileScan parquet [customer_id#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<customer_id:int>
            +- BroadcastExchange HashedRelationBroadcastMode(List(cast(input[0, int, true] as bigint)),false), [plan_id=]
               +- *(1) Project [customer_id#]
                  +- *(1) Filter (((isnotnull(status#) AND isnotnull(channel#)) AND (status# = CANCELLED)) AND (channel# = app))
                     +- *(1) ColumnarToRow
                        +- FileScan parquet [customer_id#,status#,channel#] Batched: true, DataFilters: [isnotnull(status#), isnotnull(channel#), (status# = CANCELLED), (channel# = app)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(status), IsNotNull(channel), EqualTo(status,CANCELLED), EqualTo(channel,app)], ReadSchema: struct<customer_id:int,status:string,channel:string>"#,
r#"0 HashAggregate
1 Exchange:SinglePartition
2 HashAggregate
3 Project
4 BroadcastHashJoin
5 Scan
5 BroadcastExchange
6 Project
7 Filter
8 Scan"#,
r#"== Physical Plan ==
* HashAggregate (12)
+- Exchange (11)
   +- * HashAggregate (10)
      +- * Project (9)
         +- * BroadcastHashJoin LeftSemi BuildRight (8)
            :- * ColumnarToRow (2)
            :  +- Scan parquet  (1)
            +- BroadcastExchange (7)
               +- * Project (6)
                  +- * Filter (5)
                     +- * ColumnarToRow (4)
                        +- Scan parquet  (3)


(1) Scan parquet 
Output [1]: [customer_id#]
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<customer_id:int>

(2) ColumnarToRow [codegen id : 2]
Input [1]: [customer_id#]

(3) Scan parquet 
Output [3]: [customer_id#, status#, channel#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(status), IsNotNull(channel), EqualTo(status,CANCELLED), EqualTo(channel,app)]
ReadSchema: struct<customer_id:int,status:string,channel:string>

(4) ColumnarToRow [codegen id : 1]
Input [3]: [customer_id#, status#, channel#]

(5) Filter [codegen id : 1]
Input [3]: [customer_id#, status#, channel#]
Condition : (((isnotnull(status#) AND isnotnull(channel#)) AND (status# = CANCELLED)) AND (channel# = app))

(6) Project [codegen id : 1]
Output [1]: [customer_id#]
Input [3]: [customer_id#, status#, channel#]

(7) BroadcastExchange
Input [1]: [customer_id#]
Arguments: HashedRelationBroadcastMode(List(cast(input[0, int, true] as bigint)),false), [plan_id=]

(8) BroadcastHashJoin [codegen id : 2]
Left keys [1]: [customer_id#]
Right keys [1]: [customer_id#]
Join type: LeftSemi
Join condition: None

(9) Project [codegen id : 2]
Output: []
Input [1]: [customer_id#]

(10) HashAggregate [codegen id : 2]
Input: []
Keys: []
Functions [1]: [partial_count(1)]
Aggregate Attributes [1]: [count#L]
Results [1]: [count#L]

(11) Exchange
Input [1]: [count#L]
Arguments: SinglePartition, ENSURE_REQUIREMENTS, [plan_id=]

(12) HashAggregate [codegen id : 3]
Input [1]: [count#L]
Keys: []
Functions [1]: [count(1)]
Aggregate Attributes [1]: [count(1)#L]
Results [1]: [count(1)#L AS n#L]"#),
("p_semi_in_subquery__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- HashAggregate(keys=[], functions=[count(1)], output=[n#L])
   +- Exchange SinglePartition, ENSURE_REQUIREMENTS, [plan_id=]
      +- HashAggregate(keys=[], functions=[partial_count(1)], output=[count#L])
         +- Project
            +- BroadcastHashJoin [customer_id#], [customer_id#], LeftSemi, BuildRight, false
               :- FileScan parquet [customer_id#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<customer_id:int>
               +- BroadcastExchange HashedRelationBroadcastMode(List(cast(input[0, int, true] as bigint)),false), [plan_id=]
                  +- Project [customer_id#]
                     +- Filter (((isnotnull(status#) AND isnotnull(channel#)) AND (status# = CANCELLED)) AND (channel# = app))
                        +- FileScan parquet [customer_id#,status#,channel#] Batched: true, DataFilters: [isnotnull(status#), isnotnull(channel#), (status# = CANCELLED), (channel# = app)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(status), IsNotNull(channel), EqualTo(status,CANCELLED), EqualTo(channel,app)], ReadSchema: struct<customer_id:int,status:string,channel:string>"#,
r#"0 HashAggregate
1 Exchange:SinglePartition
2 HashAggregate
3 Project
4 BroadcastHashJoin
5 Scan
5 BroadcastExchange
6 Project
7 Filter
8 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (11)
+- HashAggregate (10)
   +- Exchange (9)
      +- HashAggregate (8)
         +- Project (7)
            +- BroadcastHashJoin LeftSemi BuildRight (6)
               :- Scan parquet  (1)
               +- BroadcastExchange (5)
                  +- Project (4)
                     +- Filter (3)
                        +- Scan parquet  (2)


(1) Scan parquet 
Output [1]: [customer_id#]
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<customer_id:int>

(2) Scan parquet 
Output [3]: [customer_id#, status#, channel#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(status), IsNotNull(channel), EqualTo(status,CANCELLED), EqualTo(channel,app)]
ReadSchema: struct<customer_id:int,status:string,channel:string>

(3) Filter
Input [3]: [customer_id#, status#, channel#]
Condition : (((isnotnull(status#) AND isnotnull(channel#)) AND (status# = CANCELLED)) AND (channel# = app))

(4) Project
Output [1]: [customer_id#]
Input [3]: [customer_id#, status#, channel#]

(5) BroadcastExchange
Input [1]: [customer_id#]
Arguments: HashedRelationBroadcastMode(List(cast(input[0, int, true] as bigint)),false), [plan_id=]

(6) BroadcastHashJoin
Left keys [1]: [customer_id#]
Right keys [1]: [customer_id#]
Join type: LeftSemi
Join condition: None

(7) Project
Output: []
Input [1]: [customer_id#]

(8) HashAggregate
Input: []
Keys: []
Functions [1]: [partial_count(1)]
Aggregate Attributes [1]: [count#L]
Results [1]: [count#L]

(9) Exchange
Input [1]: [count#L]
Arguments: SinglePartition, ENSURE_REQUIREMENTS, [plan_id=]

(10) HashAggregate
Input [1]: [count#L]
Keys: []
Functions [1]: [count(1)]
Aggregate Attributes [1]: [count(1)#L]
Results [1]: [count(1)#L AS n#L]

(11) AdaptiveSparkPlan
Output [1]: [n#L]
Arguments: isFinalPlan=false"#),
("p_show_join__aqe_off",
r#"*(2) Project [customer_id#, name#, country_name#, region#]
+- *(2) BroadcastHashJoin [country_id#], [country_id#], Inner, BuildRight, false
   :- *(2) Filter isnotnull(country_id#)
   :  +- *(2) ColumnarToRow
   :     +- FileScan parquet [customer_id#,name#,country_id#] Batched: true, DataFilters: [isnotnull(country_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(country_id)], ReadSchema: struct<customer_id:int,name:string,country_id:int>
   +- BroadcastExchange HashedRelationBroadcastMode(List(cast(input[0, int, false] as bigint)),false), [plan_id=]
      +- *(1) Filter isnotnull(country_id#)
         +- *(1) ColumnarToRow
            +- FileScan parquet [country_id#,country_name#,region#] Batched: true, DataFilters: [isnotnull(country_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(country_id)], ReadSchema: struct<country_id:int,country_name:string,region:string>"#,
r#"0 CollectLimit
1 Project
2 BroadcastHashJoin
3 Filter
4 Scan
3 BroadcastExchange
4 Filter
5 Scan"#,
r#"== Physical Plan ==
* Project (9)
+- * BroadcastHashJoin Inner BuildRight (8)
   :- * Filter (3)
   :  +- * ColumnarToRow (2)
   :     +- Scan parquet  (1)
   +- BroadcastExchange (7)
      +- * Filter (6)
         +- * ColumnarToRow (5)
            +- Scan parquet  (4)


(1) Scan parquet 
Output [3]: [customer_id#, name#, country_id#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(country_id)]
ReadSchema: struct<customer_id:int,name:string,country_id:int>

(2) ColumnarToRow [codegen id : 2]
Input [3]: [customer_id#, name#, country_id#]

(3) Filter [codegen id : 2]
Input [3]: [customer_id#, name#, country_id#]
Condition : isnotnull(country_id#)

(4) Scan parquet 
Output [3]: [country_id#, country_name#, region#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(country_id)]
ReadSchema: struct<country_id:int,country_name:string,region:string>

(5) ColumnarToRow [codegen id : 1]
Input [3]: [country_id#, country_name#, region#]

(6) Filter [codegen id : 1]
Input [3]: [country_id#, country_name#, region#]
Condition : isnotnull(country_id#)

(7) BroadcastExchange
Input [3]: [country_id#, country_name#, region#]
Arguments: HashedRelationBroadcastMode(List(cast(input[0, int, false] as bigint)),false), [plan_id=]

(8) BroadcastHashJoin [codegen id : 2]
Left keys [1]: [country_id#]
Right keys [1]: [country_id#]
Join type: Inner
Join condition: None

(9) Project [codegen id : 2]
Output [4]: [customer_id#, name#, country_name#, region#]
Input [6]: [customer_id#, name#, country_id#, country_id#, country_name#, region#]"#),
("p_show_join__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- Project [customer_id#, name#, country_name#, region#]
   +- BroadcastHashJoin [country_id#], [country_id#], Inner, BuildRight, false
      :- Filter isnotnull(country_id#)
      :  +- FileScan parquet [customer_id#,name#,country_id#] Batched: true, DataFilters: [isnotnull(country_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(country_id)], ReadSchema: struct<customer_id:int,name:string,country_id:int>
      +- BroadcastExchange HashedRelationBroadcastMode(List(cast(input[0, int, false] as bigint)),false), [plan_id=]
         +- Filter isnotnull(country_id#)
            +- FileScan parquet [country_id#,country_name#,region#] Batched: true, DataFilters: [isnotnull(country_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(country_id)], ReadSchema: struct<country_id:int,country_name:string,region:string>"#,
r#"0 CollectLimit
1 Project
2 BroadcastHashJoin
3 Filter
4 Scan
3 BroadcastExchange
4 Filter
5 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (8)
+- Project (7)
   +- BroadcastHashJoin Inner BuildRight (6)
      :- Filter (2)
      :  +- Scan parquet  (1)
      +- BroadcastExchange (5)
         +- Filter (4)
            +- Scan parquet  (3)


(1) Scan parquet 
Output [3]: [customer_id#, name#, country_id#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(country_id)]
ReadSchema: struct<customer_id:int,name:string,country_id:int>

(2) Filter
Input [3]: [customer_id#, name#, country_id#]
Condition : isnotnull(country_id#)

(3) Scan parquet 
Output [3]: [country_id#, country_name#, region#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(country_id)]
ReadSchema: struct<country_id:int,country_name:string,region:string>

(4) Filter
Input [3]: [country_id#, country_name#, region#]
Condition : isnotnull(country_id#)

(5) BroadcastExchange
Input [3]: [country_id#, country_name#, region#]
Arguments: HashedRelationBroadcastMode(List(cast(input[0, int, false] as bigint)),false), [plan_id=]

(6) BroadcastHashJoin
Left keys [1]: [country_id#]
Right keys [1]: [country_id#]
Join type: Inner
Join condition: None

(7) Project
Output [4]: [customer_id#, name#, country_name#, region#]
Input [6]: [customer_id#, name#, country_id#, country_id#, country_name#, region#]

(8) AdaptiveSparkPlan
Output [4]: [customer_id#, name#, country_name#, region#]
Arguments: isFinalPlan=false"#),
("p_shuffle_hash_hint__aqe_off",
r#"*(4) HashAggregate(keys=[segment#], functions=[sum(total_amount#)], output=[segment#, revenue#])
+- Exchange hashpartitioning(segment#, 200), ENSURE_REQUIREMENTS, [plan_id=]
   +- *(3) HashAggregate(keys=[segment#], functions=[partial_sum(total_amount#)], output=[segment#, sum#])
      +- *(3) Project [total_amount#, segment#]
         +- *(3) ShuffledHashJoin [customer_id#], [customer_id#], Inner, BuildRight
            :- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
            :  +- *(1) Filter isnotnull(customer_id#)
            :     +- *(1) ColumnarToRow
            :        +- FileScan parquet [customer_id#,total_amount#] Batched: true, DataFilters: [isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(customer_id)], ReadSchema: struct<customer_id:int,total_amount:double>
            +- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
               +- *(2) Filter isnotnull(customer_id#)
                  +- *(2) ColumnarToRow
                     +- FileScan parquet [customer_id#,segment#] Batched: true, DataFilters: [isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(customer_id)], ReadSchema: struct<customer_id:int,segment:string>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 Project
4 ShuffledHashJoin
5 Exchange:hashpartitioning
6 Filter
7 Scan
5 Exchange:hashpartitioning
6 Filter
7 Scan"#,
r#"== Physical Plan ==
* HashAggregate (13)
+- Exchange (12)
   +- * HashAggregate (11)
      +- * Project (10)
         +- * ShuffledHashJoin Inner BuildRight (9)
            :- Exchange (4)
            :  +- * Filter (3)
            :     +- * ColumnarToRow (2)
            :        +- Scan parquet  (1)
            +- Exchange (8)
               +- * Filter (7)
                  +- * ColumnarToRow (6)
                     +- Scan parquet  (5)


(1) Scan parquet 
Output [2]: [customer_id#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,total_amount:double>

(2) ColumnarToRow [codegen id : 1]
Input [2]: [customer_id#, total_amount#]

(3) Filter [codegen id : 1]
Input [2]: [customer_id#, total_amount#]
Condition : isnotnull(customer_id#)

(4) Exchange
Input [2]: [customer_id#, total_amount#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(5) Scan parquet 
Output [2]: [customer_id#, segment#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,segment:string>

(6) ColumnarToRow [codegen id : 2]
Input [2]: [customer_id#, segment#]

(7) Filter [codegen id : 2]
Input [2]: [customer_id#, segment#]
Condition : isnotnull(customer_id#)

(8) Exchange
Input [2]: [customer_id#, segment#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(9) ShuffledHashJoin [codegen id : 3]
Left keys [1]: [customer_id#]
Right keys [1]: [customer_id#]
Join type: Inner
Join condition: None

(10) Project [codegen id : 3]
Output [2]: [total_amount#, segment#]
Input [4]: [customer_id#, total_amount#, customer_id#, segment#]

(11) HashAggregate [codegen id : 3]
Input [2]: [total_amount#, segment#]
Keys [1]: [segment#]
Functions [1]: [partial_sum(total_amount#)]
Aggregate Attributes [1]: [sum#]
Results [2]: [segment#, sum#]

(12) Exchange
Input [2]: [segment#, sum#]
Arguments: hashpartitioning(segment#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(13) HashAggregate [codegen id : 4]
Input [2]: [segment#, sum#]
Keys [1]: [segment#]
Functions [1]: [sum(total_amount#)]
Aggregate Attributes [1]: [sum(total_amount#)#]
Results [2]: [segment#, sum(total_amount#)# AS revenue#]"#),
("p_shuffle_hash_hint__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- HashAggregate(keys=[segment#], functions=[sum(total_amount#)], output=[segment#, revenue#])
   +- Exchange hashpartitioning(segment#, 200), ENSURE_REQUIREMENTS, [plan_id=]
      +- HashAggregate(keys=[segment#], functions=[partial_sum(total_amount#)], output=[segment#, sum#])
         +- Project [total_amount#, segment#]
            +- ShuffledHashJoin [customer_id#], [customer_id#], Inner, BuildRight
               :- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
               :  +- Filter isnotnull(customer_id#)
               :     +- FileScan parquet [customer_id#,total_amount#] Batched: true, DataFilters: [isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(customer_id)], ReadSchema: struct<customer_id:int,total_amount:double>
               +- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
                  +- Filter isnotnull(customer_id#)
                     +- FileScan parquet [customer_id#,segment#] Batched: true, DataFilters: [isnotnull(customer_id#)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(customer_id)], ReadSchema: struct<customer_id:int,segment:string>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 Project
4 ShuffledHashJoin
5 Exchange:hashpartitioning
6 Filter
7 Scan
5 Exchange:hashpartitioning
6 Filter
7 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (12)
+- HashAggregate (11)
   +- Exchange (10)
      +- HashAggregate (9)
         +- Project (8)
            +- ShuffledHashJoin Inner BuildRight (7)
               :- Exchange (3)
               :  +- Filter (2)
               :     +- Scan parquet  (1)
               +- Exchange (6)
                  +- Filter (5)
                     +- Scan parquet  (4)


(1) Scan parquet 
Output [2]: [customer_id#, total_amount#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,total_amount:double>

(2) Filter
Input [2]: [customer_id#, total_amount#]
Condition : isnotnull(customer_id#)

(3) Exchange
Input [2]: [customer_id#, total_amount#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(4) Scan parquet 
Output [2]: [customer_id#, segment#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(customer_id)]
ReadSchema: struct<customer_id:int,segment:string>

(5) Filter
Input [2]: [customer_id#, segment#]
Condition : isnotnull(customer_id#)

(6) Exchange
Input [2]: [customer_id#, segment#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(7) ShuffledHashJoin
Left keys [1]: [customer_id#]
Right keys [1]: [customer_id#]
Join type: Inner
Join condition: None

(8) Project
Output [2]: [total_amount#, segment#]
Input [4]: [customer_id#, total_amount#, customer_id#, segment#]

(9) HashAggregate
Input [2]: [total_amount#, segment#]
Keys [1]: [segment#]
Functions [1]: [partial_sum(total_amount#)]
Aggregate Attributes [1]: [sum#]
Results [2]: [segment#, sum#]

(10) Exchange
Input [2]: [segment#, sum#]
Arguments: hashpartitioning(segment#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(11) HashAggregate
Input [2]: [segment#, sum#]
Keys [1]: [segment#]
Functions [1]: [sum(total_amount#)]
Aggregate Attributes [1]: [sum(total_amount#)#]
Results [2]: [segment#, sum(total_amount#)# AS revenue#]

(12) AdaptiveSparkPlan
Output [2]: [segment#, revenue#]
Arguments: isFinalPlan=false"#),
("p_smj_then_groupby__aqe_off",
r#"*(6) HashAggregate(keys=[status#], functions=[sum((cast(quantity# as double) * unit_price#))], output=[status#, revenue#])
+- Exchange hashpartitioning(status#, 200), ENSURE_REQUIREMENTS, [plan_id=]
   +- *(5) HashAggregate(keys=[status#], functions=[partial_sum((cast(quantity# as double) * unit_price#))], output=[status#, sum#])
      +- *(5) Project [status#, quantity#, unit_price#]
         +- *(5) SortMergeJoin [order_id#L], [order_id#L], Inner
            :- *(2) Sort [order_id#L ASC NULLS FIRST], false, 0
            :  +- Exchange hashpartitioning(order_id#L, 200), ENSURE_REQUIREMENTS, [plan_id=]
            :     +- *(1) Filter isnotnull(order_id#L)
            :        +- *(1) ColumnarToRow
            :           +- FileScan parquet [order_id#L,status#] Batched: true, DataFilters: [isnotnull(order_id#L)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(order_id)], ReadSchema: struct<order_id:bigint,status:string>
            +- *(4) Sort [order_id#L ASC NULLS FIRST], false, 0
               +- Exchange hashpartitioning(order_id#L, 200), ENSURE_REQUIREMENTS, [plan_id=]
                  +- *(3) Filter isnotnull(order_id#L)
                     +- *(3) ColumnarToRow
                        +- FileScan parquet [order_id#L,quantity#,unit_price#] Batched: true, DataFilters: [isnotnull(order_id#L)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(order_id)], ReadSchema: struct<order_id:bigint,quantity:int,unit_price:double>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 Project
4 SortMergeJoin
5 Sort
6 Exchange:hashpartitioning
7 Filter
8 Scan
5 Sort
6 Exchange:hashpartitioning
7 Filter
8 Scan"#,
r#"== Physical Plan ==
* HashAggregate (15)
+- Exchange (14)
   +- * HashAggregate (13)
      +- * Project (12)
         +- * SortMergeJoin Inner (11)
            :- * Sort (5)
            :  +- Exchange (4)
            :     +- * Filter (3)
            :        +- * ColumnarToRow (2)
            :           +- Scan parquet  (1)
            +- * Sort (10)
               +- Exchange (9)
                  +- * Filter (8)
                     +- * ColumnarToRow (7)
                        +- Scan parquet  (6)


(1) Scan parquet 
Output [2]: [order_id#L, status#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(order_id)]
ReadSchema: struct<order_id:bigint,status:string>

(2) ColumnarToRow [codegen id : 1]
Input [2]: [order_id#L, status#]

(3) Filter [codegen id : 1]
Input [2]: [order_id#L, status#]
Condition : isnotnull(order_id#L)

(4) Exchange
Input [2]: [order_id#L, status#]
Arguments: hashpartitioning(order_id#L, 200), ENSURE_REQUIREMENTS, [plan_id=]

(5) Sort [codegen id : 2]
Input [2]: [order_id#L, status#]
Arguments: [order_id#L ASC NULLS FIRST], false, 0

(6) Scan parquet 
Output [3]: [order_id#L, quantity#, unit_price#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(order_id)]
ReadSchema: struct<order_id:bigint,quantity:int,unit_price:double>

(7) ColumnarToRow [codegen id : 3]
Input [3]: [order_id#L, quantity#, unit_price#]

(8) Filter [codegen id : 3]
Input [3]: [order_id#L, quantity#, unit_price#]
Condition : isnotnull(order_id#L)

(9) Exchange
Input [3]: [order_id#L, quantity#, unit_price#]
Arguments: hashpartitioning(order_id#L, 200), ENSURE_REQUIREMENTS, [plan_id=]

(10) Sort [codegen id : 4]
Input [3]: [order_id#L, quantity#, unit_price#]
Arguments: [order_id#L ASC NULLS FIRST], false, 0

(11) SortMergeJoin [codegen id : 5]
Left keys [1]: [order_id#L]
Right keys [1]: [order_id#L]
Join type: Inner
Join condition: None

(12) Project [codegen id : 5]
Output [3]: [status#, quantity#, unit_price#]
Input [5]: [order_id#L, status#, order_id#L, quantity#, unit_price#]

(13) HashAggregate [codegen id : 5]
Input [3]: [status#, quantity#, unit_price#]
Keys [1]: [status#]
Functions [1]: [partial_sum((cast(quantity# as double) * unit_price#))]
Aggregate Attributes [1]: [sum#]
Results [2]: [status#, sum#]

(14) Exchange
Input [2]: [status#, sum#]
Arguments: hashpartitioning(status#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(15) HashAggregate [codegen id : 6]
Input [2]: [status#, sum#]
Keys [1]: [status#]
Functions [1]: [sum((cast(quantity# as double) * unit_price#))]
Aggregate Attributes [1]: [sum((cast(quantity# as double) * unit_price#))#]
Results [2]: [status#, sum((cast(quantity# as double) * unit_price#))# AS revenue#]"#),
("p_smj_then_groupby__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- HashAggregate(keys=[status#], functions=[sum((cast(quantity# as double) * unit_price#))], output=[status#, revenue#])
   +- Exchange hashpartitioning(status#, 200), ENSURE_REQUIREMENTS, [plan_id=]
      +- HashAggregate(keys=[status#], functions=[partial_sum((cast(quantity# as double) * unit_price#))], output=[status#, sum#])
         +- Project [status#, quantity#, unit_price#]
            +- SortMergeJoin [order_id#L], [order_id#L], Inner
               :- Sort [order_id#L ASC NULLS FIRST], false, 0
               :  +- Exchange hashpartitioning(order_id#L, 200), ENSURE_REQUIREMENTS, [plan_id=]
               :     +- Filter isnotnull(order_id#L)
               :        +- FileScan parquet [order_id#L,status#] Batched: true, DataFilters: [isnotnull(order_id#L)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(order_id)], ReadSchema: struct<order_id:bigint,status:string>
               +- Sort [order_id#L ASC NULLS FIRST], false, 0
                  +- Exchange hashpartitioning(order_id#L, 200), ENSURE_REQUIREMENTS, [plan_id=]
                     +- Filter isnotnull(order_id#L)
                        +- FileScan parquet [order_id#L,quantity#,unit_price#] Batched: true, DataFilters: [isnotnull(order_id#L)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(order_id)], ReadSchema: struct<order_id:bigint,quantity:int,unit_price:double>"#,
r#"0 HashAggregate
1 Exchange:hashpartitioning
2 HashAggregate
3 Project
4 SortMergeJoin
5 Sort
6 Exchange:hashpartitioning
7 Filter
8 Scan
5 Sort
6 Exchange:hashpartitioning
7 Filter
8 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (14)
+- HashAggregate (13)
   +- Exchange (12)
      +- HashAggregate (11)
         +- Project (10)
            +- SortMergeJoin Inner (9)
               :- Sort (4)
               :  +- Exchange (3)
               :     +- Filter (2)
               :        +- Scan parquet  (1)
               +- Sort (8)
                  +- Exchange (7)
                     +- Filter (6)
                        +- Scan parquet  (5)


(1) Scan parquet 
Output [2]: [order_id#L, status#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(order_id)]
ReadSchema: struct<order_id:bigint,status:string>

(2) Filter
Input [2]: [order_id#L, status#]
Condition : isnotnull(order_id#L)

(3) Exchange
Input [2]: [order_id#L, status#]
Arguments: hashpartitioning(order_id#L, 200), ENSURE_REQUIREMENTS, [plan_id=]

(4) Sort
Input [2]: [order_id#L, status#]
Arguments: [order_id#L ASC NULLS FIRST], false, 0

(5) Scan parquet 
Output [3]: [order_id#L, quantity#, unit_price#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(order_id)]
ReadSchema: struct<order_id:bigint,quantity:int,unit_price:double>

(6) Filter
Input [3]: [order_id#L, quantity#, unit_price#]
Condition : isnotnull(order_id#L)

(7) Exchange
Input [3]: [order_id#L, quantity#, unit_price#]
Arguments: hashpartitioning(order_id#L, 200), ENSURE_REQUIREMENTS, [plan_id=]

(8) Sort
Input [3]: [order_id#L, quantity#, unit_price#]
Arguments: [order_id#L ASC NULLS FIRST], false, 0

(9) SortMergeJoin
Left keys [1]: [order_id#L]
Right keys [1]: [order_id#L]
Join type: Inner
Join condition: None

(10) Project
Output [3]: [status#, quantity#, unit_price#]
Input [5]: [order_id#L, status#, order_id#L, quantity#, unit_price#]

(11) HashAggregate
Input [3]: [status#, quantity#, unit_price#]
Keys [1]: [status#]
Functions [1]: [partial_sum((cast(quantity# as double) * unit_price#))]
Aggregate Attributes [1]: [sum#]
Results [2]: [status#, sum#]

(12) Exchange
Input [2]: [status#, sum#]
Arguments: hashpartitioning(status#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(13) HashAggregate
Input [2]: [status#, sum#]
Keys [1]: [status#]
Functions [1]: [sum((cast(quantity# as double) * unit_price#))]
Aggregate Attributes [1]: [sum((cast(quantity# as double) * unit_price#))#]
Results [2]: [status#, sum((cast(quantity# as double) * unit_price#))# AS revenue#]

(14) AdaptiveSparkPlan
Output [2]: [status#, revenue#]
Arguments: isFinalPlan=false"#),
("p_union_all__aqe_off",
r#"*(4) HashAggregate(keys=[], functions=[count(1)], output=[n#L])
+- Exchange SinglePartition, ENSURE_REQUIREMENTS, [plan_id=]
   +- *(3) HashAggregate(keys=[], functions=[partial_count(1)], output=[count#L])
      +- Union
         :- *(1) Project
         :  +- *(1) Filter (isnotnull(channel#) AND (channel# = app))
         :     +- *(1) ColumnarToRow
         :        +- FileScan parquet [channel#] Batched: true, DataFilters: [isnotnull(channel#), (channel# = app)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(channel), EqualTo(channel,app)], ReadSchema: struct<channel:string>
         +- *(2) Project
            +- *(2) Filter (isnotnull(event_type#) AND (event_type# = purchase))
               +- *(2) ColumnarToRow
                  +- FileScan parquet [event_type#,event_date#] Batched: true, DataFilters: [isnotnull(event_type#), (event_type# = purchase)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(event_type), EqualTo(event_type,purchase)], ReadSchema: struct<event_type:string>"#,
r#"0 HashAggregate
1 Exchange:SinglePartition
2 HashAggregate
3 Union
4 Project
5 Filter
6 Scan
4 Project
5 Filter
6 Scan"#,
r#"== Physical Plan ==
* HashAggregate (12)
+- Exchange (11)
   +- * HashAggregate (10)
      +- Union (9)
         :- * Project (4)
         :  +- * Filter (3)
         :     +- * ColumnarToRow (2)
         :        +- Scan parquet  (1)
         +- * Project (8)
            +- * Filter (7)
               +- * ColumnarToRow (6)
                  +- Scan parquet  (5)


(1) Scan parquet 
Output [1]: [channel#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(channel), EqualTo(channel,app)]
ReadSchema: struct<channel:string>

(2) ColumnarToRow [codegen id : 1]
Input [1]: [channel#]

(3) Filter [codegen id : 1]
Input [1]: [channel#]
Condition : (isnotnull(channel#) AND (channel# = app))

(4) Project [codegen id : 1]
Output: []
Input [1]: [channel#]

(5) Scan parquet 
Output [2]: [event_type#, event_date#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(event_type), EqualTo(event_type,purchase)]
ReadSchema: struct<event_type:string>

(6) ColumnarToRow [codegen id : 2]
Input [2]: [event_type#, event_date#]

(7) Filter [codegen id : 2]
Input [2]: [event_type#, event_date#]
Condition : (isnotnull(event_type#) AND (event_type# = purchase))

(8) Project [codegen id : 2]
Output: []
Input [2]: [event_type#, event_date#]

(9) Union

(10) HashAggregate [codegen id : 3]
Input: []
Keys: []
Functions [1]: [partial_count(1)]
Aggregate Attributes [1]: [count#L]
Results [1]: [count#L]

(11) Exchange
Input [1]: [count#L]
Arguments: SinglePartition, ENSURE_REQUIREMENTS, [plan_id=]

(12) HashAggregate [codegen id : 4]
Input [1]: [count#L]
Keys: []
Functions [1]: [count(1)]
Aggregate Attributes [1]: [count(1)#L]
Results [1]: [count(1)#L AS n#L]"#),
("p_union_all__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- HashAggregate(keys=[], functions=[count(1)], output=[n#L])
   +- Exchange SinglePartition, ENSURE_REQUIREMENTS, [plan_id=]
      +- HashAggregate(keys=[], functions=[partial_count(1)], output=[count#L])
         +- Union
            :- Project
            :  +- Filter (isnotnull(channel#) AND (channel# = app))
            :     +- FileScan parquet [channel#] Batched: true, DataFilters: [isnotnull(channel#), (channel# = app)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(channel), EqualTo(channel,app)], ReadSchema: struct<channel:string>
            +- Project
               +- Filter (isnotnull(event_type#) AND (event_type# = purchase))
                  +- FileScan parquet [event_type#,event_date#] Batched: true, DataFilters: [isnotnull(event_type#), (event_type# = purchase)], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [IsNotNull(event_type), EqualTo(event_type,purchase)], ReadSchema: struct<event_type:string>"#,
r#"0 HashAggregate
1 Exchange:SinglePartition
2 HashAggregate
3 Union
4 Project
5 Filter
6 Scan
4 Project
5 Filter
6 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (11)
+- HashAggregate (10)
   +- Exchange (9)
      +- HashAggregate (8)
         +- Union (7)
            :- Project (3)
            :  +- Filter (2)
            :     +- Scan parquet  (1)
            +- Project (6)
               +- Filter (5)
                  +- Scan parquet  (4)


(1) Scan parquet 
Output [1]: [channel#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(channel), EqualTo(channel,app)]
ReadSchema: struct<channel:string>

(2) Filter
Input [1]: [channel#]
Condition : (isnotnull(channel#) AND (channel# = app))

(3) Project
Output: []
Input [1]: [channel#]

(4) Scan parquet 
Output [2]: [event_type#, event_date#]
Batched: true
Location: InMemoryFileIndex [file:/P]
PushedFilters: [IsNotNull(event_type), EqualTo(event_type,purchase)]
ReadSchema: struct<event_type:string>

(5) Filter
Input [2]: [event_type#, event_date#]
Condition : (isnotnull(event_type#) AND (event_type# = purchase))

(6) Project
Output: []
Input [2]: [event_type#, event_date#]

(7) Union

(8) HashAggregate
Input: []
Keys: []
Functions [1]: [partial_count(1)]
Aggregate Attributes [1]: [count#L]
Results [1]: [count#L]

(9) Exchange
Input [1]: [count#L]
Arguments: SinglePartition, ENSURE_REQUIREMENTS, [plan_id=]

(10) HashAggregate
Input [1]: [count#L]
Keys: []
Functions [1]: [count(1)]
Aggregate Attributes [1]: [count(1)#L]
Results [1]: [count(1)#L AS n#L]

(11) AdaptiveSparkPlan
Output [1]: [n#L]
Arguments: isFinalPlan=false"#),
("p_window_dedup__aqe_off",
r#"*(3) Project [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
+- *(3) Filter (rn# = 1)
   +- Window [row_number() windowspecdefinition(customer_id#, order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST, specifiedwindowframe(RowFrame, unboundedpreceding$(), currentrow$())) AS rn#], [customer_id#], [order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST]
      +- WindowGroupLimit [customer_id#], [order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST], row_number(), 1, Final
         +- *(2) Sort [customer_id# ASC NULLS FIRST, order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST], false, 0
            +- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
               +- WindowGroupLimit [customer_id#], [order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST], row_number(), 1, Partial
                  +- *(1) Sort [customer_id# ASC NULLS FIRST, order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST], false, 0
                     +- *(1) ColumnarToRow
                        +- FileScan parquet [order_id#L,customer_id#,store_id#,order_date#,status#,channel#,total_amount#,priority#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<order_id:bigint,customer_id:int,store_id:int,order_date:date,status:string,channel:string,..."#,
r#"0 Execute
1 WriteFiles
2 Project
3 Filter
4 Window
5 WindowGroupLimit
6 Sort
7 Exchange:hashpartitioning
8 WindowGroupLimit
9 Sort
10 Scan"#,
r#"== Physical Plan ==
* Project (10)
+- * Filter (9)
   +- Window (8)
      +- WindowGroupLimit (7)
         +- * Sort (6)
            +- Exchange (5)
               +- WindowGroupLimit (4)
                  +- * Sort (3)
                     +- * ColumnarToRow (2)
                        +- Scan parquet  (1)


(1) Scan parquet 
Output [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<order_id:bigint,customer_id:int,store_id:int,order_date:date,status:string,channel:string,total_amount:double,priority:int>

(2) ColumnarToRow [codegen id : 1]
Input [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]

(3) Sort [codegen id : 1]
Input [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Arguments: [customer_id# ASC NULLS FIRST, order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST], false, 0

(4) WindowGroupLimit
Input [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Arguments: [customer_id#], [order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST], row_number(), 1, Partial

(5) Exchange
Input [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(6) Sort [codegen id : 2]
Input [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Arguments: [customer_id# ASC NULLS FIRST, order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST], false, 0

(7) WindowGroupLimit
Input [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Arguments: [customer_id#], [order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST], row_number(), 1, Final

(8) Window
Input [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Arguments: [row_number() windowspecdefinition(customer_id#, order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST, specifiedwindowframe(RowFrame, unboundedpreceding$(), currentrow$())) AS rn#], [customer_id#], [order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST]

(9) Filter [codegen id : 3]
Input [9]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#, rn#]
Condition : (rn# = 1)

(10) Project [codegen id : 3]
Output [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Input [9]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#, rn#]"#),
("p_window_dedup__aqe_on",
r#"AdaptiveSparkPlan isFinalPlan=false
+- Project [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
   +- Filter (rn# = 1)
      +- Window [row_number() windowspecdefinition(customer_id#, order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST, specifiedwindowframe(RowFrame, unboundedpreceding$(), currentrow$())) AS rn#], [customer_id#], [order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST]
         +- WindowGroupLimit [customer_id#], [order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST], row_number(), 1, Final
            +- Sort [customer_id# ASC NULLS FIRST, order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST], false, 0
               +- Exchange hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]
                  +- WindowGroupLimit [customer_id#], [order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST], row_number(), 1, Partial
                     +- Sort [customer_id# ASC NULLS FIRST, order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST], false, 0
                        +- FileScan parquet [order_id#L,customer_id#,store_id#,order_date#,status#,channel#,total_amount#,priority#] Batched: true, DataFilters: [], Format: Parquet, Location: InMemoryFileIndex(1 paths)[file:/P], PartitionFilters: [], PushedFilters: [], ReadSchema: struct<order_id:bigint,customer_id:int,store_id:int,order_date:date,status:string,channel:string,..."#,
r#"0 Execute
1 WriteFiles
2 Project
3 Filter
4 Window
5 WindowGroupLimit
6 Sort
7 Exchange:hashpartitioning
8 WindowGroupLimit
9 Sort
10 Scan"#,
r#"== Physical Plan ==
AdaptiveSparkPlan (10)
+- Project (9)
   +- Filter (8)
      +- Window (7)
         +- WindowGroupLimit (6)
            +- Sort (5)
               +- Exchange (4)
                  +- WindowGroupLimit (3)
                     +- Sort (2)
                        +- Scan parquet  (1)


(1) Scan parquet 
Output [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Batched: true
Location: InMemoryFileIndex [file:/P]
ReadSchema: struct<order_id:bigint,customer_id:int,store_id:int,order_date:date,status:string,channel:string,total_amount:double,priority:int>

(2) Sort
Input [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Arguments: [customer_id# ASC NULLS FIRST, order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST], false, 0

(3) WindowGroupLimit
Input [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Arguments: [customer_id#], [order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST], row_number(), 1, Partial

(4) Exchange
Input [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Arguments: hashpartitioning(customer_id#, 200), ENSURE_REQUIREMENTS, [plan_id=]

(5) Sort
Input [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Arguments: [customer_id# ASC NULLS FIRST, order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST], false, 0

(6) WindowGroupLimit
Input [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Arguments: [customer_id#], [order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST], row_number(), 1, Final

(7) Window
Input [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Arguments: [row_number() windowspecdefinition(customer_id#, order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST, specifiedwindowframe(RowFrame, unboundedpreceding$(), currentrow$())) AS rn#], [customer_id#], [order_date# DESC NULLS LAST, order_id#L DESC NULLS LAST]

(8) Filter
Input [9]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#, rn#]
Condition : (rn# = 1)

(9) Project
Output [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Input [9]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#, rn#]

(10) AdaptiveSparkPlan
Output [8]: [order_id#L, customer_id#, store_id#, order_date#, status#, channel#, total_amount#, priority#]
Arguments: isFinalPlan=false"#),
];
