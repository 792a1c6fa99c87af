from ninja import Router

router = Router(tags=["目标与考核"])
