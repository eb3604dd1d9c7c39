-- What goes with being a Biggest consumer of wine? The rules whose consequent is
-- exactly that item, strongest first. Compile with `dbt compile`, or in any SQL client
-- on the built file:  select * from rules_for('wines_segment=Biggest consumer');
-- Another product or consumer segment: change the item, e.g. 'meat_segment=Non consumer'.
{{ rules_for_item('wines_segment=Biggest consumer') }}
