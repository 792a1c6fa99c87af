from ninja import Router

router = Router(tags=["扶持政策"])
