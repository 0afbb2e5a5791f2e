CREATE TABLE "supply_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"office_id" text NOT NULL,
	"number" integer DEFAULT nextval('supply_ref_seq') NOT NULL,
	"draft_key" text,
	"requester_key" text NOT NULL,
	"requester_name" text NOT NULL,
	"requester_platform" text NOT NULL,
	"requester_user_id" text NOT NULL,
	"sku" text,
	"item_name" text NOT NULL,
	"unit" text,
	"quantity" integer NOT NULL,
	"unit_price_cents" integer,
	"urgency" text DEFAULT 'routine' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"approved_by_name" text,
	"approved_at" timestamp with time zone,
	"denied_by_name" text,
	"denied_at" timestamp with time zone,
	"denial_note" text,
	"ordered_by_name" text,
	"ordered_at" timestamp with time zone,
	"received_by_name" text,
	"received_at" timestamp with time zone,
	"cancelled_by_name" text,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supply_requests_quantity_check" CHECK ("supply_requests"."quantity" between 1 and 1000)
);
--> statement-breakpoint
CREATE TABLE "supply_stock" (
	"office_id" text NOT NULL,
	"sku" text NOT NULL,
	"on_hand" integer NOT NULL,
	"counted_at" timestamp with time zone,
	"counted_by_name" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "supply_stock_office_id_sku_pk" PRIMARY KEY("office_id","sku"),
	CONSTRAINT "supply_stock_on_hand_check" CHECK ("supply_stock"."on_hand" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "supply_requests_number_idx" ON "supply_requests" USING btree ("office_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "supply_requests_draft_idx" ON "supply_requests" USING btree ("office_id","draft_key");--> statement-breakpoint
CREATE INDEX "supply_requests_status_idx" ON "supply_requests" USING btree ("office_id","status","sku");--> statement-breakpoint
CREATE INDEX "supply_requests_created_idx" ON "supply_requests" USING btree ("office_id","created_at");--> statement-breakpoint
CREATE INDEX "supply_requests_approved_idx" ON "supply_requests" USING btree ("office_id","approved_at");