-- Search: two contentless FTS5 indexes keyed by orders.seq, written by electron/core/orders/search.ts.
-- order_search (trigram) matches substrings of 3+ characters; order_search_cjk holds Han bigrams as
-- unicode61 tokens for 1–2 character queries (张伟, 杭州).
CREATE VIRTUAL TABLE `order_search` USING fts5(no, who, addr, items, content='', contentless_delete=1, tokenize='trigram');
--> statement-breakpoint
CREATE VIRTUAL TABLE `order_search_cjk` USING fts5(who, addr, items, content='', contentless_delete=1, detail='column', tokenize='unicode61 remove_diacritics 0');
--> statement-breakpoint
-- Orders that existed before this migration need their documents built in code (bigrams); see
-- ensureSearchIndex in orders/search.ts.
INSERT INTO `meta` (`key`, `value`) SELECT 'search.rebuild', '1' WHERE EXISTS (SELECT 1 FROM `orders`)
  ON CONFLICT(`key`) DO UPDATE SET `value` = excluded.`value`;
--> statement-breakpoint
-- Tab counts: order_counts follows every insert, delete and queue/shop/flag change of an order.
INSERT INTO `order_counts` (`shop_id`, `queue`, `abnormal_flags`, `n`)
  SELECT `shop_id`, `queue`, `abnormal_flags`, count(*) FROM `orders` GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE TRIGGER `orders_counts_ai` AFTER INSERT ON `orders` BEGIN
  INSERT INTO `order_counts` (`shop_id`, `queue`, `abnormal_flags`, `n`) VALUES (NEW.`shop_id`, NEW.`queue`, NEW.`abnormal_flags`, 1)
    ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `orders_counts_ad` AFTER DELETE ON `orders` BEGIN
  UPDATE `order_counts` SET `n` = `n` - 1
    WHERE `shop_id` = OLD.`shop_id` AND `queue` = OLD.`queue` AND `abnormal_flags` = OLD.`abnormal_flags`;
  DELETE FROM `order_search` WHERE rowid = OLD.`seq`;
  DELETE FROM `order_search_cjk` WHERE rowid = OLD.`seq`;
END;
--> statement-breakpoint
CREATE TRIGGER `orders_counts_au` AFTER UPDATE OF `shop_id`, `status`, `after_sale`, `stage`, `hold_reason`, `abnormal_flags` ON `orders`
  WHEN OLD.`shop_id` IS NOT NEW.`shop_id` OR OLD.`queue` IS NOT NEW.`queue` OR OLD.`abnormal_flags` IS NOT NEW.`abnormal_flags`
BEGIN
  UPDATE `order_counts` SET `n` = `n` - 1
    WHERE `shop_id` = OLD.`shop_id` AND `queue` = OLD.`queue` AND `abnormal_flags` = OLD.`abnormal_flags`;
  INSERT INTO `order_counts` (`shop_id`, `queue`, `abnormal_flags`, `n`) VALUES (NEW.`shop_id`, NEW.`queue`, NEW.`abnormal_flags`, 1)
    ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;
